package com.fetchsms.webhook;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.Metrics;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every recorded delivery attempt is counted by outcome; customers' endpoints never see the platform's traces. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class WebhookMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ATTEMPTS = "fetchsms_webhook_attempts_total";

    @Test
    void retriedThenDeliveredAttemptsAreCountedByOutcome() {
        double retryable = Metrics.value(ATTEMPTS, "outcome", "failed_retryable");
        double delivered = Metrics.value(ATTEMPTS, "outcome", "delivered");
        try (Receiver receiver = new Receiver().thenAnswer(500, 503).always(200)) {
            Fixtures customer = new Fixtures();
            String id = customer.endpoint(receiver.url()).getString("id");
            customer.as().post("/v1/webhooks/" + id + "/test").then().statusCode(202);
            customer.awaitDeliveries(id, d -> d.size() == 1 && "delivered".equals(d.get(0).get("status")), WAIT);

            Metrics.await(ATTEMPTS, v -> v >= delivered + 1, WAIT, "outcome", "delivered");
            assertTrue(Metrics.value(ATTEMPTS, "outcome", "failed_retryable") >= retryable + 2);
            List<Receiver.Request> requests = receiver.requests();
            assertTrue(requests.size() >= 3);
            requests.forEach(request -> assertNull(request.header("traceparent"),
                    "the platform's trace context is not sent to a customer's endpoint"));
        }
    }

    @Test
    void aGoneEndpointIsAPermanentFailure() {
        double permanent = Metrics.value(ATTEMPTS, "outcome", "failed_permanent");
        try (Receiver receiver = new Receiver().always(410)) {
            Fixtures customer = new Fixtures();
            String id = customer.endpoint(receiver.url()).getString("id");
            customer.as().post("/v1/webhooks/" + id + "/test").then().statusCode(202);
            customer.awaitDeliveries(id, d -> d.size() == 1 && "failed".equals(d.get(0).get("status")), WAIT);
            Metrics.await(ATTEMPTS, v -> v >= permanent + 1, WAIT, "outcome", "failed_permanent");
        }
    }
}
