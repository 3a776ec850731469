package com.fetchsms.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.json.JsonObject;

/**
 * Real HTTP upstreams for the gateway's tests (JDK HTTP servers on random ports): catalog, wallet, verification,
 * rental, sms-ingest, dashboard (which has no OpenAPI document in the gateway's configuration) and a test-only "ledger"
 * service owning {@code /v1/wallet/ledger} (to prove that the longest prefix wins). webhook points at a closed port.
 * Each upstream echoes what it received as JSON, so assertions on the gateway's answer prove both directions; the
 * requests for its OpenAPI document ({@code /q/openapi}) are counted in {@link #OPENAPI_REQUESTS}.
 *
 * <p>
 * Request headers understood by the echo: {@code X-Reply-Status} (status to answer, default 200),
 * {@code X-Reply-Bytes} (answer that many bytes instead of JSON, streamed), {@code X-Reply-Delay-Ms} (wait first),
 * {@code X-Reply-Events} (answer a {@code text/event-stream} of that many events, 0 for no end, one every
 * {@code X-Reply-Interval-Ms}; a stream that can no longer write, its client gone, is counted in
 * {@link #STREAMS_CUT_BY_CLIENT}).
 */
public class UpstreamServers implements QuarkusTestResourceLifecycleManager {

    /** Event streams whose client went away (a write failed). */
    static final AtomicInteger STREAMS_CUT_BY_CLIENT = new AtomicInteger();

    /** The requests each upstream got for its OpenAPI document, by service name. */
    static final Map<String, AtomicInteger> OPENAPI_REQUESTS = new ConcurrentHashMap<>();

    private static final Map<String, AtomicInteger> DELAYED_IN_PROGRESS = new ConcurrentHashMap<>();

    static final List<String> RUNNING = List.of("catalog", "wallet", "verification", "rental", "sms-ingest", "ledger",
            "dashboard");

    private final List<HttpServer> servers = new ArrayList<>();
    private ExecutorService executor;

    @Override
    public Map<String, String> start() {
        executor = Executors.newCachedThreadPool();
        Map<String, String> config = new HashMap<>();
        for (String name : RUNNING) {
            HttpServer server = startEcho(name);
            config.put("fetchsms.gateway.services." + name + ".url",
                    "http://127.0.0.1:" + server.getAddress().getPort());
        }
        config.put("fetchsms.gateway.services.ledger.prefixes", "/v1/wallet/ledger");
        // A service the gateway knows but routes nothing to (e.g. the local stack's table is ahead of the routes).
        config.put("fetchsms.gateway.services.unrouted.url", "http://127.0.0.1:" + closedPort());
        config.put("fetchsms.gateway.services.webhook.url", "http://127.0.0.1:" + closedPort());
        config.put("fetchsms.gateway.services.verification.request-timeout", "1s");
        return config;
    }

    @Override
    public void stop() {
        servers.forEach(server -> server.stop(0));
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private HttpServer startEcho(String name) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            server.createContext("/", exchange -> echo(name, exchange));
            server.setExecutor(executor);
            server.start();
            servers.add(server);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void echo(String name, HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String delay = exchange.getRequestHeaders().getFirst("X-Reply-Delay-Ms");
            if (delay != null) {
                AtomicInteger delayed = DELAYED_IN_PROGRESS.computeIfAbsent(name, n -> new AtomicInteger());
                delayed.incrementAndGet();
                try {
                    Thread.sleep(Long.parseLong(delay));
                } finally {
                    delayed.decrementAndGet();
                }
            }
            if (exchange.getRequestURI().getPath().equals("/q/openapi")) {
                openApiRequests(name).incrementAndGet();
                openApi(name, exchange);
                return;
            }
            String statusHeader = exchange.getRequestHeaders().getFirst("X-Reply-Status");
            int status = statusHeader == null ? 200 : Integer.parseInt(statusHeader);
            exchange.getResponseHeaders().set("X-Upstream", name);
            exchange.getResponseHeaders().set("X-Upstream-Custom", "kept; as-is");

            String events = exchange.getRequestHeaders().getFirst("X-Reply-Events");
            if (events != null) {
                stream(exchange, status, Integer.parseInt(events),
                        Long.parseLong(exchange.getRequestHeaders().getFirst("X-Reply-Interval-Ms")));
                return;
            }

            String bytes = exchange.getRequestHeaders().getFirst("X-Reply-Bytes");
            if (bytes != null) {
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(status, 0); // chunked: streamed, length unknown to the gateway
                try (OutputStream out = exchange.getResponseBody()) {
                    long remaining = Long.parseLong(bytes);
                    byte[] block = pattern(64 * 1024);
                    while (remaining > 0) {
                        int n = (int) Math.min(block.length, remaining);
                        out.write(block, 0, n);
                        remaining -= n;
                    }
                }
                return;
            }

            JsonObject headers = new JsonObject();
            exchange.getRequestHeaders()
                    .forEach((key, values) -> headers.put(key.toLowerCase(), String.join("|", values)));
            JsonObject echo = new JsonObject()
                    .put("upstream", name)
                    .put("method", exchange.getRequestMethod())
                    .put("uri", exchange.getRequestURI().toString())
                    .put("path", exchange.getRequestURI().getRawPath())
                    .put("query", exchange.getRequestURI().getRawQuery())
                    .put("headers", headers)
                    .put("body", new String(body, StandardCharsets.UTF_8))
                    .put("body_length", body.length)
                    .put("body_sha256", sha256(body));
            byte[] answer = echo.encode().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the gateway gave up on us (timeout tests): nothing to do
        }
    }

    /** Requests with {@code X-Reply-Delay-Ms} that an upstream is holding right now. */
    static int delayedInProgress(String service) {
        return DELAYED_IN_PROGRESS.computeIfAbsent(service, s -> new AtomicInteger()).get();
    }

    static AtomicInteger openApiRequests(String service) {
        return OPENAPI_REQUESTS.computeIfAbsent(service, s -> new AtomicInteger());
    }

    /** Server-Sent Events: a comment at once, then {@code count} events (0: until the client goes), flushed one by one. */
    private static void stream(HttpExchange exchange, int status, int count, long intervalMs)
            throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            for (int i = 1; count == 0 || i <= count; i++) {
                Thread.sleep(intervalMs);
                out.write(("id:" + i + "\nevent:tick\ndata:{\"n\":" + i + "}\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.close();
        } catch (IOException clientGone) {
            STREAMS_CUT_BY_CLIENT.incrementAndGet();
            throw clientGone;
        }
    }

    /**
     * A service's own OpenAPI document, as Quarkus serves it: its public paths, plus paths that must never be published
     * (internal API, Quarkus' own) or that belong to another service, so the test sees the gateway's filtering.
     */
    private static void openApi(String name, HttpExchange exchange) throws IOException {
        JsonObject ok = new JsonObject().put("get", new JsonObject().put("responses",
                new JsonObject().put("200", new JsonObject().put("description", "OK"))));
        JsonObject document = new JsonObject()
                .put("openapi", "3.1.0")
                .put("info", new JsonObject().put("title", "FetchSMS " + name).put("version", "1.0.0"))
                .put("paths", new JsonObject()
                        .put("/v1/services", ok).put("/v1/services/quote", ok)
                        .put("/v1/admin/numbers/{number}", ok)
                        .put("/v1/wallet", ok).put("/v1/wallet/ledger", ok)
                        .put("/v1/sandbox/wallet", ok).put("/v1/sandbox/sms", ok)
                        .put("/app", ok).put("/app/verifications", ok)
                        .put("/internal/reservations", ok).put("/q/health", ok))
                .put("x-query", exchange.getRequestURI().getRawQuery());
        byte[] answer = document.encode().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
    }

    /** Deterministic content for large bodies. */
    static byte[] pattern(int size) {
        byte[] block = new byte[size];
        for (int i = 0; i < size; i++) {
            block[i] = (byte) (i * 31 + 7);
        }
        return block;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
