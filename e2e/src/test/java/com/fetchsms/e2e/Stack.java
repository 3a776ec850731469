package com.fetchsms.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real FetchSMS stack, started once for the whole suite with the same launcher a person uses:
 * {@code deploy/local/up --no-build} as a child process, isolated from anything else on the machine (its own state
 * directory, free ports picked at run time, databases with a suffix of this run), then stopped with SIGTERM and its
 * databases dropped.
 *
 * <p>
 * System properties: {@code fetchsms.repo.root} (the repository), {@code fetchsms.e2e.state-dir} (default
 * {@code e2e/target/e2e-stack}), {@code fetchsms.e2e.start-timeout} (seconds, default 180),
 * {@code fetchsms.e2e.keep-databases=true} (keep them for a post-mortem).
 */
final class Stack implements AutoCloseable {

    private static final String READY_LINE = "FetchSMS is ready at";
    private static final String STOPPED_LINE = "Stopped.";
    /**
     * The first service port of the launcher's table (8081…8087: the six services, then the dashboard); the offset
     * moves the whole block.
     */
    private static final int TABLE_FIRST_PORT = 8081;
    private static final int TABLE_PORTS = 7;

    final Path root;
    final Path stateDir;
    final int gatewayPort;
    final int kafkaPort;
    final int portOffset;
    final String dbSuffix;
    final String adminEmail;
    final String adminPassword;
    final String baseUrl;

    private final Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread reader;
    private final Thread shutdownHook;
    private volatile boolean stopped;

    private Stack(Path root, Path stateDir, int gatewayPort, int kafkaPort, int portOffset, String dbSuffix,
            String adminEmail, String adminPassword) throws IOException {
        this.root = root;
        this.stateDir = stateDir;
        this.gatewayPort = gatewayPort;
        this.kafkaPort = kafkaPort;
        this.portOffset = portOffset;
        this.dbSuffix = dbSuffix;
        this.adminEmail = adminEmail;
        this.adminPassword = adminPassword;
        this.baseUrl = "http://127.0.0.1:" + gatewayPort;

        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("deploy/local/up").toString(), "--no-build")
                .directory(root.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        // Whatever a developer exported for their own stack must not leak into this one.
        env.remove("FETCHSMS_SERVICES");
        env.remove("FETCHSMS_WALLET_PAYMENTS_PROVIDER");
        env.put("FETCHSMS_STATE_DIR", stateDir.toString());
        env.put("FETCHSMS_PORT_OFFSET", Integer.toString(portOffset));
        env.put("FETCHSMS_DB_SUFFIX", dbSuffix);
        env.put("GATEWAY_PORT", Integer.toString(gatewayPort));
        env.put("GATEWAY_HOST", "127.0.0.1");
        env.put("KAFKA_PORT", Integer.toString(kafkaPort));
        env.put("READY_TIMEOUT", Long.toString(startTimeout().toSeconds()));
        env.put("FETCHSMS_ADMIN_EMAIL", adminEmail);
        env.put("FETCHSMS_ADMIN_PASSWORD", adminPassword);
        // The webhook receiver of the suite listens on 127.0.0.1 over plain http (allowed by the local stack).
        env.put("FETCHSMS_WEBHOOK_ALLOW_HTTP", "true");
        env.put("FETCHSMS_WEBHOOK_ALLOWED_HOSTS", "127.0.0.1");
        // The suite's JVMs live minutes, not days: C1 only spends a fraction of the CPU that C2's compilations take on
        // the shared two cores (the suite is CPU-bound), and what the suite measures is behaviour, not peak speed.
        // Appended last to every JVM's command line by the launcher; -Dfetchsms.e2e.java-opts replaces it.
        env.put("FETCHSMS_JAVA_OPTS", System.getProperty("fetchsms.e2e.java-opts", "-XX:TieredStopAtLevel=1"));
        this.process = builder.start();

        Path upLog = stateDir.resolve("up.log");
        this.reader = new Thread(() -> pump(upLog), "e2e-stack-output");
        reader.setDaemon(true);
        reader.start();
        // Maven interrupted (Ctrl-C) before the suite closed the stack: stop it anyway.
        this.shutdownHook = new Thread(this::stopQuietly, "e2e-stack-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the stack and returns once the launcher printed its ready line; on failure, prints the logs' tails. */
    static Stack start() {
        Path root = Path.of(System.getProperty("fetchsms.repo.root", "..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("deploy/local/up"))) {
            throw new IllegalStateException("deploy/local/up not found under " + root + " (set -Dfetchsms.repo.root)");
        }
        Path stateDir = Path.of(System.getProperty("fetchsms.e2e.state-dir", root.resolve("e2e/target/e2e-stack")
                .toString())).toAbsolutePath().normalize();
        deleteRecursively(stateDir); // fresh Kafka data and keys: the databases are fresh too
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int gatewayPort = freePort();
        int kafkaPort = freePort();
        while (kafkaPort == gatewayPort) {
            kafkaPort = freePort();
        }
        int offset = freeTableOffset(gatewayPort, kafkaPort);
        String suffix = "_e2e_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        String adminPassword = "e2e-admin-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));

        Stack stack;
        try {
            stack = new Stack(root, stateDir, gatewayPort, kafkaPort, offset, suffix, "admin@e2e.fetchsms.test",
                    adminPassword);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run deploy/local/up", e);
        }
        System.out.printf("[e2e] starting the stack: gateway 127.0.0.1:%d, Kafka %d, service ports %d-%d, "
                + "databases fetchsms_*%s, state %s%n", gatewayPort, kafkaPort, TABLE_FIRST_PORT + offset,
                TABLE_FIRST_PORT + offset + TABLE_PORTS - 1, suffix, stateDir);
        long started = System.nanoTime();
        try {
            stack.awaitReady(startTimeout().plusSeconds(30));
        } catch (RuntimeException | Error e) {
            stack.printLogTails();
            stack.stopQuietly();
            throw e;
        }
        System.out.printf("[e2e] the stack is ready after %d s%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        return stack;
    }

    private static Duration startTimeout() {
        return Duration.ofSeconds(Long.getLong("fetchsms.e2e.start-timeout", 180));
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!ready.await(500, TimeUnit.MILLISECONDS)) {
                if (!process.isAlive()) {
                    reader.join(2000);
                    throw new IllegalStateException("deploy/local/up exited with status " + process.exitValue()
                            + " before the stack was ready:\n" + String.join("\n", output));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The stack was not ready within " + timeout.toSeconds()
                            + " s:\n" + String.join("\n", output));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the stack started", e);
        }
    }

    private void pump(Path upLog) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter log = new PrintWriter(Files.newBufferedWriter(upLog, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                output.add(line);
                log.println(line);
                System.out.println("[up] " + line);
                if (line.startsWith(READY_LINE)) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            System.out.println("[e2e] lost the launcher's output: " + e);
        }
    }

    /** SIGTERM to the launcher, which stops every process it started and prints "Stopped."; then the databases. */
    @Override
    public void close() {
        boolean clean = stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        if (!clean) {
            throw new IllegalStateException("deploy/local/up did not stop cleanly (no \"" + STOPPED_LINE
                    + "\" line):\n" + String.join("\n", output));
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            System.out.println("[e2e] stopping the stack failed: " + e);
        }
    }

    private synchronized boolean stop() {
        if (stopped) {
            return true;
        }
        stopped = true;
        boolean clean;
        try {
            // SIGTERM: the launcher's trap stops services and gateway, then Kafka. Through the handle, because
            // Process.destroy() also closes the pipes, and the "Stopped." line would be lost.
            process.toHandle().destroy();
            clean = process.waitFor(90, TimeUnit.SECONDS);
            if (!clean) {
                System.out.println("[e2e] the launcher did not stop within 90 s: killing what it started");
                process.destroyForcibly();
                killLeftovers();
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            killLeftovers();
            clean = false;
        }
        clean = clean && output.contains(STOPPED_LINE);
        dropDatabases();
        return clean;
    }

    /** The launcher records "pgid name" per started process group; SIGKILL each group (only ours). */
    private void killLeftovers() {
        Path pids = stateDir.resolve("pids");
        if (!Files.isRegularFile(pids)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(pids)) {
                String pgid = line.trim().split("\\s+")[0];
                if (pgid.matches("\\d+")) {
                    new ProcessBuilder("kill", "-KILL", "--", "-" + pgid).inheritIO().start().waitFor(5,
                            TimeUnit.SECONDS);
                }
            }
        } catch (IOException e) {
            System.out.println("[e2e] could not kill leftovers: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Drops the databases the launcher created for this run (their names end with this run's suffix). */
    private void dropDatabases() {
        if (Boolean.getBoolean("fetchsms.e2e.keep-databases")) {
            System.out.println("[e2e] keeping the databases fetchsms_*" + dbSuffix);
            return;
        }
        String host = env("PGHOST", "127.0.0.1");
        String port = env("PGPORT", "5432");
        String url = "jdbc:postgresql://" + host + ":" + port + "/postgres";
        try (Connection db = DriverManager.getConnection(url, env("PGUSER", "postgres"), env("PGPASSWORD", ""));
                Statement sql = db.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rows = sql.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'fetchsms\\_%'"
                    + " AND right(datname, " + dbSuffix.length() + ") = '" + dbSuffix + "'")) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            for (String name : names) {
                sql.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            }
            System.out.println("[e2e] dropped " + names);
        } catch (SQLException e) {
            System.out.println("[e2e] could not drop the databases fetchsms_*" + dbSuffix + ": " + e.getMessage());
        }
    }

    /** The last lines of every log of the stack (the launcher already showed the one that failed, if it knew). */
    void printLogTails() {
        Path logs = stateDir.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return;
        }
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".log")).sorted(Comparator.naturalOrder())
                    .toList()) {
                if (!Files.isReadable(file)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                System.out.println("── last lines of " + file + " ──");
                lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(System.out::println);
            }
        } catch (IOException | UncheckedIOException e) {
            System.out.println("[e2e] could not read the logs: " + e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An offset that moves the launcher's service ports (8081…8087) to a block that is free right now, below the
     * ephemeral range (so the free ports picked for the gateway and Kafka cannot be in it).
     */
    private static int freeTableOffset(int... taken) {
        SecureRandom random = new SecureRandom();
        for (int attempt = 0; attempt < 100; attempt++) {
            int offset = 1000 + random.nextInt(20000);
            boolean free = true;
            for (int port = TABLE_FIRST_PORT + offset; free && port < TABLE_FIRST_PORT + offset + TABLE_PORTS; port++) {
                for (int t : taken) {
                    free &= t != port;
                }
                free = free && bindable(port);
            }
            if (free) {
                return offset;
            }
        }
        throw new IllegalStateException("No free block of " + TABLE_PORTS + " ports found for the services");
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not clear " + dir, e);
        }
    }
}
