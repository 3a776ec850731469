package com.fetchsms.bench;

import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;

/**
 * HTTP/1.1 calls to the stack (keep-alive, JSON bodies), asynchronous for load and synchronous for set-up.
 *
 * <p>
 * On Vert.x' client (Netty, one event loop): the JDK's {@code java.net.http} client spent about 0.8 ms of CPU per
 * request here, as much as the stack's gateway and service together, so on a two-core machine the benchmark measured
 * its own client. Completions run on that event loop: callers chain only non-blocking work on them.
 */
public final class Api implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Connections to the stack at most (an open-loop run may have this many requests in flight). */
    private static final int CONNECTIONS = 1024;

    /** One event loop for every client of the run (the gateway, catalog direct, verification direct). */
    private static final Vertx VERTX = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
            .setInternalBlockingPoolSize(1));

    private final HttpClient http;
    /** The event-loop context every exchange of this client runs on. */
    private final Context context = VERTX.getOrCreateContext();
    private final String host;
    private final int port;
    private final String prefix;

    public Api(String base) {
        URI uri = URI.create(base);
        if (!"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException("BENCH_URL must be http://host:port (the local stack): " + base);
        }
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 80 : uri.getPort();
        this.prefix = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/$", "");
        // keep-alive timeout 0: the client never retires an idle connection itself. The phases of a run leave a client
        // idle for minutes, and a request handed a connection as it was being retired is the suspected cause of the
        // rare requests that stalled until their timeout (two in a full run); not proven
        this.http = VERTX.createHttpClient(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(0)
                .setConnectTimeout(5_000)
                .setDefaultHost(host).setDefaultPort(port),
                new PoolOptions().setHttp1MaxSize(CONNECTIONS).setMaxWaitQueueSize(-1));
    }

    /**
     * An answer: its status, body and {@code Set-Cookie} headers (each one whole, as sent; empty when none).
     */
    public record Response(int status, String body, List<String> setCookies) {

        public Response(int status, String body) {
            this(status, body, List.of());
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("not JSON (" + status + "): " + body, e);
            }
        }

        public Response expect(int expected, String what) {
            if (status != expected) {
                throw new IllegalStateException(what + " answered " + status + " (expected " + expected + "): " + body);
            }
            return this;
        }
    }

    public CompletableFuture<Response> get(String path, String token) {
        return send(HttpMethod.GET, path, token, null, TIMEOUT);
    }

    public CompletableFuture<Response> post(String path, String token, Object body) {
        return send(HttpMethod.POST, path, token, body instanceof String s ? s : write(body), TIMEOUT);
    }

    public CompletableFuture<Response> delete(String path, String token) {
        return send(HttpMethod.DELETE, path, token, null, TIMEOUT);
    }

    /**
     * A browser's {@code GET} of a page: {@code Cookie: cookies} (none when {@code null}), {@code Accept: text/html}.
     * A redirect is not followed: it is the answer.
     */
    public CompletableFuture<Response> page(String path, String cookies) {
        return send(HttpMethod.GET, path, browser(cookies, null), null, TIMEOUT);
    }

    /**
     * A browser's form {@code POST} ({@code application/x-www-form-urlencoded}, fields in the given order) with
     * {@code Cookie: cookies}. A redirect is not followed: it is the answer, with its {@code Set-Cookie} headers.
     */
    public CompletableFuture<Response> form(String path, String cookies, Map<String, String> fields) {
        return send(HttpMethod.POST, path, browser(cookies, "application/x-www-form-urlencoded"),
                formBody(fields), TIMEOUT);
    }

    /** {@code fields} as a form body: {@code name=value&…}, both URL-encoded (UTF-8). */
    static String formBody(Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append(body.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8)));
        return body.toString();
    }

    private static Map<String, String> browser(String cookies, String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "text/html");
        if (cookies != null && !cookies.isEmpty()) {
            headers.put("Cookie", cookies);
        }
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return headers;
    }

    public Response getNow(String path, String token) {
        return join(get(path, token));
    }

    public Response postNow(String path, String token, Object body) {
        return join(post(path, token, body));
    }

    /** A slow set-up call (a bulk import on a busy machine): waits up to {@code timeout}. */
    public Response postNow(String path, String token, Object body, Duration timeout) {
        return join(send(HttpMethod.POST, path, token, body instanceof String s ? s : write(body), timeout));
    }

    /**
     * Opens a Server-Sent Events stream ({@code GET path}, {@code Accept: text/event-stream}) and hands each
     * {@code data:} line to {@code data} as it arrives, on the client's event loop (keep it short). Completes once the
     * stream answered 200; closing what it completes with ends the stream.
     */
    public CompletableFuture<AutoCloseable> events(String path, String token, Consumer<String> data) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
                .setURI(prefix + path).setConnectTimeout(TIMEOUT.toMillis())
                // the stream sends a heartbeat every 15 s: a minute of silence is a dead stream
                .setIdleTimeout(TimeUnit.MINUTES.toMillis(1))
                .putHeader("Accept", "text/event-stream").putHeader("Authorization", "Bearer " + token);
        CompletableFuture<AutoCloseable> opened = new CompletableFuture<>();
        onLoop(() -> http.request(options).compose(request -> request.send()).onComplete(result -> {
            if (result.failed()) {
                opened.completeExceptionally(result.cause());
                return;
            }
            var response = result.result();
            if (response.statusCode() != 200) {
                response.body().onComplete(body -> opened.completeExceptionally(new IllegalStateException("GET "
                        + path + " answered " + response.statusCode() + ": "
                        + (body.succeeded() ? body.result() : ""))));
                return;
            }
            response.handler(RecordParser.newDelimited("\n", line -> {
                String text = line.toString();
                if (text.startsWith("data:")) {
                    data.accept(text.substring(5).trim());
                }
            }));
            opened.complete(() -> response.request().connection().close());
        }));
        return opened.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private CompletableFuture<Response> send(HttpMethod method, String path, String token, String body,
            Duration timeout) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        return send(method, path, headers, body, timeout);
    }

    private CompletableFuture<Response> send(HttpMethod method, String path, Map<String, String> headers,
            String body, Duration timeout) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(host).setPort(port)
                .setURI(prefix + path).setIdleTimeout(timeout.toMillis())
                // also bounds the wait for a pooled connection, which the idle timeout does not cover
                .setConnectTimeout(timeout.toMillis())
                // a redirect is an answer to measure (and the sign-in's 303 carries the session cookie)
                .setFollowRedirects(false);
        headers.forEach(options::putHeader);
        CompletableFuture<Response> answer = new CompletableFuture<>();
        // how far the request got, named in the failure when it is never answered (a stall: where it was stuck)
        AtomicReference<String> stage = new AtomicReference<>("waiting for a connection");
        onLoop(() -> http.request(options)
                .compose(request -> {
                    stage.set("sending on connection " + request.connection().localAddress() + " → "
                            + request.connection().remoteAddress());
                    return body == null ? request.send() : request.send(Buffer.buffer(body));
                })
                .compose(response -> {
                    stage.set("reading the body of a " + response.statusCode());
                    List<String> setCookies = List.copyOf(response.headers().getAll("Set-Cookie"));
                    return response.body().map(content -> new Response(response.statusCode(), content.toString(),
                            setCookies));
                })
                .onComplete(result -> {
                    if (result.succeeded()) {
                        answer.complete(result.result());
                    } else {
                        answer.completeExceptionally(timeout(result.cause()));
                    }
                }));
        // whatever happens in the client, a request is answered or timed out: never a sample that waits for ever
        return answer.orTimeout(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)
                .exceptionallyCompose(failure -> {
                    if (unwrap(failure) instanceof TimeoutException) {
                        // printed as it happens: the run's report counts it as "no answer"
                        String stall = method + " " + path + ": no answer and no failure from the HTTP client in "
                                + (timeout.toMillis() + 5_000) + " ms, " + stage.get();
                        System.out.println("  [stall] " + stall);
                        return CompletableFuture.failedFuture(new HttpTimeoutException(stall));
                    }
                    return CompletableFuture.failedFuture(timeout(unwrap(failure)));
                });
    }

    /**
     * Runs a request's whole exchange on the client's event loop. Started from a load thread, a request whose pooled
     * connection is free at once was sent from that thread while its response was read on the event loop; a few
     * requests a run then stalled for the whole timeout with their response's head read and its body never completed
     * (no idle timeout fired either): the signature of a race in Vert.x 4.5's client between a response's end and a
     * body() asked for from another thread, which its maintainers have since fixed upstream. On the loop, both happen
     * on one thread.
     */
    private void onLoop(Runnable exchange) {
        context.runOnContext(ignored -> exchange.run());
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Vert.x' request timeout as the JDK's, which the load driver counts as "no answer". */
    private static Throwable timeout(Throwable failure) {
        return failure.getClass().getSimpleName().contains("TimeoutException")
                ? new HttpTimeoutException(String.valueOf(failure.getMessage()))
                : failure;
    }

    @Override
    public void close() {
        http.close();
    }

    static Response join(CompletableFuture<Response> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw new IllegalStateException(e.getCause().toString(), e.getCause());
        }
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
