package com.fetchsms.common.security;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.ApiKeyChanged;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The per-credential limit ({@link RateLimitFilter} over {@link RateLimiter}) on the route of {@link ProbeResource},
 * with {@code fetchsms.rate-limit.requests-per-second=5}: a credential has a burst of five, then waits for the refill;
 * other credentials are not affected.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class RateLimitTest {

    private static final int LIMIT = 5;

    @Inject
    ApiKeyView view;

    @Test
    void aKeyGetsItsBurstThen429WithRetryAfterAndAnotherKeyIsNotAffected() {
        String key = activeKey();
        String other = activeKey();
        for (int i = 0; i < LIMIT; i++) {
            Response allowed = call(key);
            assertEquals(200, allowed.statusCode(), "request " + i);
            assertEquals(String.valueOf(LIMIT), allowed.header("X-RateLimit-Limit"));
            // the countdown, or more when a token (one per 200 ms) came back in between; never above the burst
            int remaining = Integer.parseInt(allowed.header("X-RateLimit-Remaining"));
            assertTrue(remaining >= LIMIT - 1 - i && remaining <= LIMIT - 1,
                    "remaining " + remaining + " after request " + i);
        }
        Response refused = refusedCall(key);
        assertEquals("Too many requests: the limit is 5 per second per credential",
                refused.jsonPath().getString("detail"));
        assertEquals("1", refused.header("Retry-After"), "a token comes back within the second");

        given().auth().oauth2(other).get("/probe/limited").then().statusCode(200)
                .header("X-RateLimit-Remaining", equalTo(String.valueOf(LIMIT - 1)));
    }

    @Test
    void aRefusedKeyIsServedAgainOnceATokenHasRefilled() {
        String key = activeKey();
        refusedCall(key);
        long refusedAt = System.nanoTime();
        // refused requests take nothing: polling does not delay the refill
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> call(key).statusCode() == 200);
        long waited = Duration.ofNanos(System.nanoTime() - refusedAt).toMillis();
        // one token at five per second takes up to 200 ms to come back
        assertTrue(waited <= 2000, "served again after " + waited + " ms");
    }

    @Test
    void aRequestWithoutACredentialIs401AndTakesFromNoBucket() throws Exception {
        given().get("/probe/limited").then().statusCode(401);
        try (Connection db = ServiceTestResource.database().connect();
                ResultSet rows = db.createStatement().executeQuery(
                        "SELECT count(*) FROM rate_limit_bucket WHERE credential = 'anonymous'")) {
            rows.next();
            assertEquals(0, rows.getLong(1), "a bucket of no credential");
        }
    }

    /** Calls until the key is refused (its burst, and whatever refilled meanwhile, used up); answers the refusal. */
    private static Response refusedCall(String key) {
        Response[] last = new Response[1];
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> {
            last[0] = call(key);
            return last[0].statusCode() == 429;
        });
        return last[0];
    }

    private String activeKey() {
        String key = ApiKeys.generate();
        KafkaEvents.send(new ApiKeyChanged(ApiKeys.hash(key), UUID.randomUUID(), UUID.randomUUID(),
                ApiKeys.shownPrefix(key), ApiKeyChanged.ACTIVE, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> view.find(ApiKeys.hash(key))
                .await().atMost(Duration.ofSeconds(10)).isPresent());
        return key;
    }

    private static Response call(String key) {
        return given().auth().oauth2(key).get("/probe/limited");
    }
}
