package com.fetchsms.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.fetchsms.testkit.ServiceCredentials;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real HTTP server standing in for wallet-service's internal key routes (401 without the service credential, like
 * the real one). Tests register keys with
 * {@code PUT /stub/keys/{hash}} (body = the introspection answer) and read usage reports at {@code GET /stub/usage};
 * {@code PUT /stub/introspection/down} makes introspection (keys and sessions) answer 503 until
 * {@code PUT /stub/introspection/up}; {@code PUT /stub/sessions/{id}} signs a session out for
 * {@code POST /internal/sessions/introspect}.
 */
public class WalletStubResource implements QuarkusTestResourceLifecycleManager {

    private HttpServer server;
    private final Map<String, String> keys = new ConcurrentHashMap<>();
    private final List<String> usage = new CopyOnWriteArrayList<>();
    private volatile boolean introspectionDown;
    private final java.util.Set<String> signedOut = ConcurrentHashMap.newKeySet();

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/stub/keys/", exchange -> {
            keys.put(exchange.getRequestURI().getPath().substring("/stub/keys/".length()), read(exchange));
            answer(exchange, 204, "");
        });
        server.createContext("/stub/usage", exchange -> answer(exchange, 200, "[" + String.join(",", usage) + "]"));
        server.createContext("/stub/introspection/", exchange -> {
            introspectionDown = exchange.getRequestURI().getPath().endsWith("/down");
            answer(exchange, 204, "");
        });
        server.createContext("/stub/sessions/", exchange -> {
            signedOut.add(exchange.getRequestURI().getPath().substring("/stub/sessions/".length()));
            answer(exchange, 204, "");
        });
        server.createContext("/internal/sessions/introspect", internal(true, (exchange, body) -> {
            String session = body.replaceAll(".*\"session_id\"\\s*:\\s*\"([0-9a-f-]+)\".*", "$1");
            answer(exchange, 200, "{\"revoked\":" + signedOut.contains(session) + "}");
        }));
        server.createContext("/internal/api-keys/introspect", internal(true, (exchange, body) -> {
            String hash = body.replaceAll(".*\"key_hash\"\\s*:\\s*\"([0-9a-f]+)\".*", "$1");
            String known = keys.get(hash);
            answer(exchange, known == null ? 404 : 200, known == null ? "{\"detail\":\"Unknown key\"}" : known);
        }));
        server.createContext("/internal/api-keys/usage", internal(false, (exchange, body) -> {
            usage.add(body);
            answer(exchange, 204, "");
        }));
        server.start();
        return Map.of("fetchsms.services.wallet-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "fetchsms.api-keys.usage-flush-interval", "200ms", "fetchsms.api-keys.unknown-keys-max", "300");
    }

    /** What an internal route does with a request that passed the checks: its exchange and body. */
    private interface Internal {
        void handle(HttpExchange exchange, String body) throws IOException;
    }

    /**
     * An internal route as the real one guards it: 401 without the service credential; 503 while introspection is
     * down (for the introspection routes).
     */
    private HttpHandler internal(boolean introspection, Internal route) {
        return exchange -> {
            if (!ServiceCredentials.presented(exchange)) {
                answer(exchange, 401, "{\"detail\":\"A valid service credential is required\"}");
                return;
            }
            String body = read(exchange);
            if (introspection && introspectionDown) {
                answer(exchange, 503, "{\"detail\":\"down\"}");
                return;
            }
            route.handle(exchange, body);
        };
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static String read(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
        if (status != 204) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
