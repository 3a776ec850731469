package com.fetchsms.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Checks the per-credential rate limit of a route from outside: bursts of 150 concurrent requests with one bearer
 * token until one is refused (a busy machine may serve a burst slower than the limit), then asserts the limiter's
 * bound: in t ms at most {@code limit × (1 + t/1000)} requests pass, the refused one is 429 with
 * {@code Retry-After}, and answers carry {@code X-RateLimit-Limit}.
 */
public final class RateLimitProbe {

    /** What the bursts saw. */
    public record Outcome(long served, long millis, HttpResponse<String> refused, HttpResponse<String> answered) {
    }

    private RateLimitProbe() {
    }

    /**
     * @param uri a route that answers {@code servedStatus} without much work (e.g. 404 for an unknown id), so the
     *        bursts measure the limiter and not the database
     */
    public static Outcome burst(URI uri, String token, int servedStatus, int limit) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build();
        return burst(i -> request, servedStatus, limit);
    }

    /**
     * {@link #burst(URI, String, int, int)} with the {@code i}-th request of the bursts built by {@code requests}
     * (e.g. other headers or another credential of the same caller on each one).
     */
    public static Outcome burst(IntFunction<HttpRequest> requests, int servedStatus, int limit) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        int sent = 0;
        long started = System.nanoTime();
        long deadline = started + Duration.ofSeconds(60).toNanos();
        long served = 0;
        HttpResponse<String> refused = null;
        HttpResponse<String> answered = null;
        while (refused == null && System.nanoTime() < deadline) {
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                inFlight.add(client.sendAsync(requests.apply(sent++), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : inFlight) {
                HttpResponse<String> response = f.get(60, TimeUnit.SECONDS);
                if (response.statusCode() == 429) {
                    refused = refused == null ? response : refused;
                } else {
                    assertEquals(servedStatus, response.statusCode(), response.body());
                    served++;
                    answered = response;
                }
            }
        }
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertTrue(refused != null, "no request was refused in " + millis + " ms");
        assertTrue(served <= limit + millis * limit / 1000 + 1, served + " served in " + millis + " ms");
        assertTrue(Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow()) >= 1);
        assertTrue(refused.body().contains("Too many requests: the limit is " + limit + " per second per credential"),
                refused.body());
        assertEquals(String.valueOf(limit), answered.headers().firstValue("X-RateLimit-Limit").orElseThrow());
        return new Outcome(served, millis, refused, answered);
    }
}
