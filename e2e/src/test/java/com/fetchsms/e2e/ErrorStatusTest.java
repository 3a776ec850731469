package com.fetchsms.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Every error status of the API's error table, caused the way a real client would cause it, each answered
 * {@code {"detail": "…"}}: 400 malformed, 401 bad credential, 402 empty wallet, 403 not allowed, 404 unknown service
 * or resource, 409 conflict (email taken, out of stock), 422 invalid value, 429 above the rate limit with
 * {@code Retry-After}.
 */
@Order(50)
class ErrorStatusTest extends E2eTest {

    static Customer client;

    @BeforeAll
    static void signUp() {
        client = world().newCustomer("client", 1000);
    }

    @Test
    @Order(1)
    void badRequest400() {
        assertError(client.withKey().contentType(ContentType.JSON).body("{\"service\": 4").post("/verifications"), 400);
        assertError(client.withKey().body(Map.of("service", 1, "days", "seven")).post("/rentals"), 400);
        assertError(client.withSession().body(Map.of("amount_cents", 10.5, "method", "card")).post("/wallet/deposits"),
                400);
        // A path an upstream could resolve outside its prefix: the gateway refuses it (sent as is, not re-encoded).
        assertError(World.anonymous().urlEncodingEnabled(false).get("/services/%2e%2e/internal/reservations"), 400);
        assertEquals(1000, client.balance(), "nothing was charged or credited");
    }

    @Test
    @Order(2)
    void unauthorized401() {
        String detail = assertError(World.anonymous().body(Map.of("email", client.email, "password", "wrong-password"))
                .post("/auth/login"), 401);
        String unknown = assertError(World.anonymous()
                .body(Map.of("email", "nobody@e2e.example.com", "password", "wrong-password")).post("/auth/login"),
                401);
        assertEquals(detail, unknown, "an unknown email is answered like a wrong password");
        assertError(World.as("fsk_0000000000000000000000000000000000").body(Map.of("service", 4))
                .post("/verifications"), 401);
    }

    @Test
    @Order(3)
    void paymentRequired402() {
        Customer broke = world().newCustomer("broke", 0);
        String detail = assertError(broke.withKey().body(Map.of("service", 4)).post("/verifications"), 402);
        assertTrue(detail.contains("Insufficient balance"), detail);
        assertError(broke.withKey().body(Map.of("service", 1, "days", 1)).post("/rentals"), 402);
        assertEquals(0, broke.balance());
        assertEquals(List.of(), broke.ledger(), "no debit");
        assertEquals(List.of(), broke.purchases("verifications"), "a refused purchase is not listed");
        assertEquals(List.of(), broke.purchases("rentals"));
        // With money the same request goes through (the number was given back).
        broke.deposit(100);
        broke.withKey().body(Map.of("service", 4)).post("/verifications").then().statusCode(201);
    }

    @Test
    @Order(4)
    void forbidden403() {
        // Modem B serves the 917 number: B may report on it, A may not.
        String theirs = world().modemBNumber;
        world().deliverSms(theirs, "Acme", "Your Acme login code is " + code(6));
        String detail = assertError(World.postSms(world().modemA.token(), theirs, "Telegram",
                "Telegram code: " + code(5), null), 403);
        assertNotNull(detail);
        assertError(World.postSms(world().modemA.token(), "+12125550199", "Telegram", "Telegram code: " + code(5),
                null), 403);
        assertError(client.withKey().get("/wallet"), 403);
    }

    @Test
    @Order(5)
    void notFound404() {
        assertError(client.withKey().body(Map.of("service", 999)).post("/verifications"), 404);
        assertError(client.withKey().body(Map.of("service", "no-such-service")).post("/verifications"), 404);
        assertError(client.withKey().body(Map.of("service", 1)).post("/verifications"), 404);
        assertError(client.withKey().get("/verifications/{id}", UUID.randomUUID()), 404);
        assertError(client.withKey().get("/rentals/{id}", UUID.randomUUID()), 404);
        assertError(World.anonymous().queryParam("service", 999).queryParam("mode", "short").get("/services/quote"),
                404);
        assertError(World.anonymous().get("/no-such-route"), 404);
        assertEquals(1000, client.balance());
    }

    @Test
    @Order(6)
    void conflict409() {
        assertError(World.anonymous().body(Map.of("email", client.email.toUpperCase(), "password", client.password))
                .post("/auth/signup"), 409);
        String detail = assertError(client.withKey().body(Map.of("service", 4, "area_code", "212"))
                .post("/verifications"), 409);
        assertTrue(detail.contains("212"), detail);
        assertEquals(1000, client.balance(), "out of stock charges nothing");
    }

    @Test
    @Order(7)
    void unprocessable422() {
        assertError(World.anonymous().body(Map.of("email", "weak@e2e.example.com", "password", "short"))
                .post("/auth/signup"), 422);
        assertError(client.withKey().body(Map.of("service", 1, "days", 14)).post("/rentals"), 422);
        assertError(client.withKey().body(Map.of("service", 4, "area_code", "33")).post("/verifications"), 422);
        assertError(client.withSession().body(Map.of("url", "http://127.0.0.1:9/hook", "events", List.of("sms.sent")))
                .post("/webhooks"), 422);
        assertError(client.withSession().body(Map.of("url", "http://169.254.169.254/latest/meta-data"))
                .post("/webhooks"), 422);
        assertError(world().admin().body(Map.of("gateway_id", world().modemA.id(), "numbers", List.of("12345")))
                .post("/admin/numbers"), 422);
        assertEquals(1000, client.balance());
    }

    /**
     * 100 requests per second per API key: a burst from a dedicated key goes above it and gets 429 with
     * {@code Retry-After}; after waiting that long the key works again.
     */
    @Test
    @Order(8)
    void tooManyRequests429() throws Exception {
        String key = client.createApiKey("burst").key();
        URI uri = URI.create(world().stack.baseUrl + "/v1/verifications?tab=active");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(10)).GET().build();

        AtomicReference<HttpResponse<String>> limited = new AtomicReference<>();
        AtomicReference<HttpResponse<String>> allowed = new AtomicReference<>();
        AtomicInteger sent = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        ExecutorService burst = Executors.newFixedThreadPool(24);
        for (int worker = 0; worker < 24; worker++) {
            burst.submit(() -> {
                try {
                    while (limited.get() == null && sent.incrementAndGet() <= 3000 && System.nanoTime() < deadline) {
                        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() == 429) {
                            limited.compareAndSet(null, answer);
                        } else if (answer.statusCode() == 200) {
                            allowed.compareAndSet(null, answer);
                        } else {
                            throw new AssertionError("unexpected " + answer.statusCode() + " " + answer.body());
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        burst.shutdown();
        assertTrue(burst.awaitTermination(60, TimeUnit.SECONDS));
        if (failure.get() != null) {
            throw new AssertionError("the burst failed", failure.get());
        }
        HttpResponse<String> tooMany = limited.get();
        assertNotNull(tooMany, "no 429 after " + sent.get() + " requests in a burst");
        world().statuses.add(429);
        System.out.printf("[e2e] 429 after about %d requests of the burst%n", sent.get());

        assertEquals("100", allowed.get().headers().firstValue("X-RateLimit-Limit").orElse(null));
        String retryAfter = tooMany.headers().firstValue("Retry-After").orElse(null);
        assertNotNull(retryAfter, "Retry-After on a 429");
        assertTrue(Integer.parseInt(retryAfter) >= 1, "Retry-After in whole seconds: " + retryAfter);
        assertTrue(tooMany.body().matches("\\{\"detail\":\".*\"}"), tooMany.body());

        // Slowing down works: after Retry-After the key is served again.
        Response again = Poll.until("the key to be served again", Duration.ofSeconds(Integer.parseInt(retryAfter) + 5),
                () -> World.as(key).get("/verifications?tab=active"), r -> r.statusCode() == 200);
        assertNotNull(again.header("X-RateLimit-Remaining"));
    }
}
