package com.fetchsms.dashboard.rest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * A stand-in for the public API behind the gateway: a real HTTP server on a free port of the loopback address that
 * answers what a test told it to ({@link #answer}) and keeps every request it received ({@link #received}). The
 * dashboard calls it as it calls the gateway; a request nobody answered is 404 {@code {"detail": "Not found"}}.
 */
public class FakeApi implements QuarkusTestResourceLifecycleManager {

    /** A request the API received. */
    public record Received(String method, String path, String query, MultiMap headers, String body) {

        public String header(String name) {
            return headers.get(name);
        }
    }

    private record Answer(String method, Predicate<String> path, int status, String json) {
    }

    /** The signed-in operator every test's session belongs to. */
    static final String ADMIN = """
            {"id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "email": "ops@example.com", "role": "admin",
             "created_at": "2026-01-02T03:04:05Z"}""";

    private static final List<Answer> ANSWERS = new CopyOnWriteArrayList<>();
    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            RECEIVED.add(new Received(request.method().name(), request.path(), request.query(),
                    MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.toString()));
            Answer answer = null;
            for (Answer candidate : ANSWERS) {
                if (candidate.method().equals(request.method().name()) && candidate.path().test(request.path())) {
                    answer = candidate;
                }
            }
            int status = answer == null ? 404 : answer.status();
            String json = answer == null ? "{\"detail\": \"Not found\"}" : answer.json();
            request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(json == null ? "" : json);
        }));
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("The fake API could not listen", e);
        }
        return Map.of("fetchsms.dashboard.api-url", "http://127.0.0.1:" + server.actualPort());
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** Forgets every answer and request, then answers {@code GET /v1/account} with {@link #ADMIN}. */
    static void reset() {
        ANSWERS.clear();
        RECEIVED.clear();
        answer("GET", "/v1/account", 200, ADMIN);
    }

    /** {@code method path} is answered {@code status} with {@code json} (the latest answer given for it wins). */
    static void answer(String method, String path, int status, String json) {
        ANSWERS.add(new Answer(method, path::equals, status, json));
    }

    /** Every request received for {@code method path}, in order. */
    static List<Received> received(String method, String path) {
        return RECEIVED.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    /** Every request received. */
    static List<Received> received() {
        return List.copyOf(RECEIVED);
    }
}
