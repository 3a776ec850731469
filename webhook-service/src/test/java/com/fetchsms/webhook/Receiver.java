package com.fetchsms.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A customer's webhook receiver: a real local HTTP server on a random port that records every request and answers
 * scripted statuses (then {@code fallback}), optionally slowly.
 */
final class Receiver implements AutoCloseable {

    /** One request as received: raw body bytes and headers (lowercase names). */
    record Request(String path, Map<String, String> headers, byte[] rawBody, Instant at) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String body() {
            return new String(rawBody, StandardCharsets.UTF_8);
        }
    }

    /** A scripted answer. */
    record Answer(int status, Map<String, String> headers, Duration delay) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
    private volatile Answer fallback = new Answer(200, Map.of(), Duration.ZERO);
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private volatile CountDownLatch gate;

    Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port() + "/hook";
    }

    /** Answers {@code statuses} to the next requests, in order. */
    Receiver thenAnswer(int... statuses) {
        for (int status : statuses) {
            script.add(new Answer(status, Map.of(), Duration.ZERO));
        }
        return this;
    }

    Receiver thenAnswer(Answer answer) {
        script.add(answer);
        return this;
    }

    /** The answer once the script is used up. */
    Receiver always(int status) {
        fallback = new Answer(status, Map.of(), Duration.ZERO);
        return this;
    }

    Receiver alwaysSlow(Duration delay) {
        fallback = new Answer(200, Map.of(), delay);
        return this;
    }

    /** Holds every request (after recording it) until {@link #release()}, at most a minute. */
    Receiver hold() {
        gate = new CountDownLatch(1);
        return this;
    }

    /** Lets held requests answer, and later ones answer at once. */
    void release() {
        CountDownLatch held = gate;
        gate = null;
        if (held != null) {
            held.countDown();
        }
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    int maxConcurrent() {
        return maxConcurrent.get();
    }

    /** Waits until {@code count} requests arrived; answers them all. */
    List<Request> await(int count, Duration timeout) {
        org.awaitility.Awaitility.await("expected " + count + " requests").atMost(timeout)
                .pollInterval(Duration.ofMillis(20)).until(() -> requests.size() >= count);
        return new ArrayList<>(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = concurrent.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                    values.get(0)));
            requests.add(new Request(exchange.getRequestURI().toString(), headers, body, Instant.now()));
            CountDownLatch held = gate;
            if (held != null) {
                try {
                    held.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Answer answer = script.poll();
            if (answer == null) {
                answer = fallback;
            }
            if (!answer.delay().isZero()) {
                sleep(answer.delay().toMillis());
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(answer.status(), -1);
        } finally {
            concurrent.decrementAndGet();
            exchange.close();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
