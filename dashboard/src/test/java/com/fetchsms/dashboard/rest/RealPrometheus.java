package com.fetchsms.dashboard.rest;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Prometheus (Debian's package {@value #PACKAGE}, {@code /usr/bin/prometheus}) for the health page's tests: its
 * own configuration and data directory in a temporary directory, on a free port of the loopback address, scraping every
 * second three "replicas" this class serves (real HTTP servers answering the Prometheus text a test sets with
 * {@link #serve}) as the monitoring component's PodMonitor would label them: jobs named after the workload, and
 * {@code app_kubernetes_io_part_of="fetchsms"}. Job {@value #VERIFICATION} has the replicas {@code verification-1},
 * {@code verification-2} and a third on a port where nothing listens (down); job {@value #CATALOG} has
 * {@code catalog-1}; job {@value #OTHER} scrapes {@code catalog-1} too, without the FetchSMS label, like anything else a
 * cluster's Prometheus scrapes. Without the package (and where it cannot be installed) the tests fail, naming it.
 */
public class RealPrometheus implements QuarkusTestResourceLifecycleManager {

    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    static final String PACKAGE = "prometheus";
    static final String VERIFICATION = "verification-service";
    static final String CATALOG = "catalog-service";
    static final String OTHER = "kafka-exporter";
    static final List<String> REPLICAS = List.of("verification-1", "verification-2", "catalog-1");

    private static final Map<String, String> METRICS = new ConcurrentHashMap<>();
    private static volatile String url;
    private static boolean installTried;

    private final List<HttpServer> servers = new ArrayList<>();
    private Process prometheus;
    private Path dir;

    /** What {@code replica} answers on {@code /metrics} from now on (Prometheus text format). */
    static void serve(String replica, String text) {
        if (!REPLICAS.contains(replica)) {
            throw new IllegalArgumentException("no replica " + replica);
        }
        METRICS.put(replica, text);
    }

    /** Prometheus' base URL. */
    static String url() {
        return url;
    }

    @Override
    public Map<String, String> start() {
        require();
        try {
            dir = Files.createTempDirectory("fetchsms-prometheus");
            Map<String, Integer> ports = new ConcurrentHashMap<>();
            for (String replica : REPLICAS) {
                METRICS.putIfAbsent(replica, "");
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.createContext("/metrics", exchange -> {
                    byte[] body = METRICS.getOrDefault(replica, "").getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                    exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
                server.start();
                servers.add(server);
                ports.put(replica, server.getAddress().getPort());
            }
            int down = freePort();
            int port = freePort();
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: %s
                        static_configs:
                          - targets: ["127.0.0.1:%d", "127.0.0.1:%d", "127.0.0.1:%d"]
                            labels:
                              app_kubernetes_io_part_of: fetchsms
                      - job_name: %s
                        static_configs:
                          - targets: ["127.0.0.1:%d"]
                            labels:
                              app_kubernetes_io_part_of: fetchsms
                      - job_name: %s
                        static_configs:
                          - targets: ["127.0.0.1:%d"]
                    """.formatted(VERIFICATION, ports.get("verification-1"), ports.get("verification-2"), down,
                    CATALOG, ports.get("catalog-1"), OTHER, ports.get("catalog-1")));
            prometheus = new ProcessBuilder(PROMETHEUS.toString(),
                    "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            url = "http://127.0.0.1:" + port;
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Awaitility.await("Prometheus ready at " + url).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                        if (!prometheus.isAlive()) {
                            throw new AssertionError("Prometheus ended:\n" + Files.readString(dir.resolve(
                                    "prometheus.log")));
                        }
                        return http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    });
            return Map.of("fetchsms.dashboard.health.prometheus-url", url);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (prometheus != null) {
            prometheus.destroy();
            try {
                if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        servers.forEach(server -> server.stop(0));
        if (dir != null) {
            try (Stream<Path> tree = Files.walk(dir)) {
                tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A temporary directory left behind.
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Prometheus is there, installed now if this is a Debian machine run as root, or the test fails naming it. */
    private static synchronized void require() {
        if (Files.isExecutable(PROMETHEUS)) {
            return;
        }
        if (!installTried && "root".equals(System.getProperty("user.name"))
                && Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            installTried = true;
            System.out.println("[dashboard] the health page's tests need " + PROMETHEUS + ": installing " + PACKAGE
                    + " with apt-get");
            if (run(List.of("apt-get", "update")) == 0) {
                run(List.of("apt-get", "install", "-y", "--no-install-recommends", PACKAGE));
            }
            if (Files.isExecutable(PROMETHEUS)) {
                return;
            }
        }
        fail("The health page's Prometheus tests need " + PROMETHEUS + ": install Debian's package " + PACKAGE
                + " (`apt-get install -y --no-install-recommends " + PACKAGE + "`; .ci/run does)");
    }

    private static int run(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process process = builder.start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
