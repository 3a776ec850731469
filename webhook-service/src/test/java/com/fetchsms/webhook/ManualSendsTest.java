package com.fetchsms.webhook;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The test and retry routes are rate limited per account, and a retry never races the attempt a dispatcher has in
 * flight. The attempt timeout is long here, so an attempt held by the receiver stays in flight for the whole test.
 */
@QuarkusTest
@TestProfile(ManualSendsTest.SmallBudgets.class)
@WithTestResource(ServiceTestResource.class)
class ManualSendsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    public static class SmallBudgets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "fetchsms.webhook.manual-sends.tests-per-account", "3",
                    "fetchsms.webhook.manual-sends.retries-per-account", "3",
                    "fetchsms.webhook.timeout", "20s");
        }
    }

    @Test
    void theFourthTestInAMinuteIs429WithRetryAfterAndOtherAccountsAreUnaffected() {
        try (Receiver receiver = new Receiver()) {
            Fixtures customer = new Fixtures();
            String id = customer.endpoint(receiver.url()).getString("id");
            for (int i = 0; i < 3; i++) {
                customer.as().post("/v1/webhooks/" + id + "/test").then().statusCode(202);
            }
            customer.as().post("/v1/webhooks/" + id + "/test").then().statusCode(429)
                    .header("Retry-After", notNullValue())
                    .body("detail", containsString("Too many webhook tests for this account"));
            customer.awaitDeliveries(id, d -> d.size() == 3, WAIT);

            Fixtures other = new Fixtures();
            String otherId = other.endpoint(receiver.url()).getString("id");
            other.as().post("/v1/webhooks/" + otherId + "/test").then().statusCode(202);
        }
    }

    @Test
    void theFourthRetryInAMinuteIs429() {
        Fixtures customer = new Fixtures();
        for (int i = 0; i < 3; i++) {
            customer.as().post("/v1/webhooks/deliveries/" + UUID.randomUUID() + "/retry").then().statusCode(404);
        }
        customer.as().post("/v1/webhooks/deliveries/" + UUID.randomUUID() + "/retry").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("detail", containsString("Too many delivery retries for this account"));
    }

    @Test
    void aRetryWhileTheDeliveryIsInFlightIs409AndTheAttemptIsSentAndCountedOnce() {
        try (Receiver receiver = new Receiver().hold()) {
            Fixtures customer = new Fixtures();
            String id = customer.endpoint(receiver.url()).getString("id");
            customer.as().post("/v1/webhooks/" + id + "/test").then().statusCode(202);
            // The dispatcher's POST has arrived and is held: the attempt is in flight.
            receiver.await(1, WAIT);
            String delivery = (String) customer.deliveries(id).get(0).get("id");

            customer.as().post("/v1/webhooks/deliveries/" + delivery + "/retry").then().statusCode(409)
                    .body("detail", containsString("being sent right now"));
            customer.as().post("/v1/webhooks/deliveries/" + delivery + "/retry").then().statusCode(409);

            receiver.release();
            List<Map<String, Object>> done = customer.awaitDeliveries(id,
                    d -> "delivered".equals(d.get(0).get("status")), WAIT);
            assertEquals(1, done.get(0).get("attempts"), "one attempt, counted once");
            assertEquals(1, receiver.requests().size(), "one POST: the refused retries sent nothing");
            assertEquals(1, receiver.maxConcurrent());

            // Once the attempt has ended, a retry is one more attempt.
            customer.as().post("/v1/webhooks/deliveries/" + delivery + "/retry").then().statusCode(202);
            customer.awaitDeliveries(id, d -> Integer.valueOf(2).equals(d.get(0).get("attempts")), WAIT);
            assertEquals(2, receiver.requests().size());
        }
    }
}
