package com.fetchsms.common.datasource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own (the machine's PostgreSQL binaries, a throw-away data directory and port) that, like
 * the CloudNativePG cluster of deploy/k8s, admits connections over TLS only ({@code hostssl}, then {@code reject}),
 * with a server certificate for {@code localhost} signed by a CA made here with {@code openssl}. A second CA, which
 * signed nothing of this server, is made for the tests that must be refused.
 */
final class TlsPostgresServer implements AutoCloseable {

    static final String HOST = "localhost";

    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean asPostgresUser;

    private TlsPostgresServer(Path dir, Path bin, int port, boolean asPostgresUser) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    static TlsPostgresServer start() {
        Path bin = postgresBin();
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("fetchsms-tls-postgres-");
            Path data = dir.resolve("data");
            TlsPostgresServer server = new TlsPostgresServer(dir, bin, freePort(), root);
            server.makeCertificates();
            if (root) {
                // initdb and postgres refuse to run as root: the server runs as the postgres user, in files it owns.
                run(dir, List.of("chown", "-R", "postgres:postgres", dir.toString()));
                run(dir, List.of("chmod", "0755", dir.toString()));
            }
            server.asServer(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A",
                    "trust", "--no-sync"));
            Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
                    "listen_addresses = 'localhost'",
                    "port = " + server.port,
                    "unix_socket_directories = '" + dir + "'",
                    "max_connections = 40",
                    "fsync = off",
                    "ssl = on",
                    "ssl_cert_file = '" + dir.resolve("server.crt") + "'",
                    "ssl_key_file = '" + dir.resolve("server.key") + "'",
                    ""), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            // The shape of base/postgres/cluster.yaml's pg_hba: TLS only, everything else rejected.
            Files.writeString(data.resolve("pg_hba.conf"), String.join("\n",
                    "local all all trust",
                    "hostssl all all 127.0.0.1/32 trust",
                    "hostssl all all ::1/128 trust",
                    "host all all all reject",
                    ""));
            server.asServer(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                    dir.resolve("postgres.log").toString(), "-w", "-t", "60", "start"));
            server.psql("CREATE DATABASE fetchsms");
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** The CA that signed the server's certificate (PEM). */
    Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    /** A CA that signed nothing of this server (PEM). */
    Path otherCaCertificate() {
        return dir.resolve("other-ca.crt");
    }

    String jdbcUrl(String host, String query) {
        return "jdbc:postgresql://" + host + ":" + port + "/fetchsms?" + query;
    }

    String reactiveUrl() {
        return "postgresql://" + HOST + ":" + port + "/fetchsms";
    }

    private void makeCertificates() {
        String subject = "/CN=fetchsms-test-ca";
        run(dir, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", subject,
                "-keyout", "ca.key", "-out", "ca.crt"));
        run(dir, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                "/CN=another-ca", "-keyout", "other-ca.key", "-out", "other-ca.crt"));
        run(dir, List.of("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + HOST, "-keyout",
                "server.key", "-out", "server.csr"));
        try {
            Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:" + HOST + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(dir, List.of("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "2", "-extfile", "server.ext", "-out", "server.crt"));
        run(dir, List.of("chmod", "0600", "server.key"));
        run(dir, List.of("chmod", "0644", "ca.crt", "other-ca.crt", "server.crt"));
    }

    private void psql(String sql) {
        asServer(List.of(bin.resolve("psql").toString(), "-h", dir.toString(), "-p", String.valueOf(port), "-U",
                "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql));
    }

    private void asServer(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(dir, full);
    }

    @Override
    public void close() {
        try {
            asServer(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                    "-w", "stop"));
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // left in the temporary directory
            }
        }
    }

    /** The newest PostgreSQL server binaries of the machine (Debian: /usr/lib/postgresql/N/bin). */
    private static Path postgresBin() {
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("No PostgreSQL server binaries under " + root));
        } catch (IOException e) {
            throw new IllegalStateException("No PostgreSQL server binaries under " + root
                    + " (Debian's postgresql package)", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void run(Path dir, List<String> command) {
        try {
            Path log = Files.createTempFile("fetchsms-tls-postgres", ".log");
            try {
                Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish in 120 s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue()
                            + "):\n" + Files.readString(log));
                }
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
