package com.fetchsms.rental;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.Metrics;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The shared business metrics, moved by rentals: purchases by outcome and codes stored on rented numbers. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class RentalMetricsTest {

    @Test
    void rentalsAreCountedAsTheRentalProductWithTheirOutcome() {
        double created = purchases("created");
        double poor = purchases("insufficient_funds");
        double invalid = purchases("invalid_request");

        new Fixtures().withBalance(5000).rent(1, 7).then().statusCode(201);
        new Fixtures().withBalance(10).rent(1, 7).then().statusCode(402);
        new Fixtures().withBalance(5000).rent(1, 14).then().statusCode(422);

        assertEquals(created + 1, purchases("created"));
        assertEquals(poor + 1, purchases("insufficient_funds"));
        assertEquals(invalid, purchases("invalid_request"), "refused by validation, before any purchase was made");
        assertEquals(0, Metrics.value("fetchsms_purchases_total", "product", "verification", "outcome", "created"),
                "a rental is never counted as a verification");
    }

    @Test
    void aStoredMessageWithACodeCountsAsAReleasedCodeAndOneWithoutDoesNot() {
        double released = Metrics.value("fetchsms_codes_released_total", "product", "rental");
        double delays = Metrics.value("fetchsms_code_release_delay_seconds_count", "product", "rental");

        Fixtures customer = new Fixtures().withBalance(5000);
        String id = customer.rent(1, 7).then().statusCode(201).extract().path("id");
        String number = customer.rental(id).getString("number");
        Fixtures.sms(number, "ACME", "Welcome to ACME", null, null, Instant.now());
        Fixtures.sms(number, "Telegram", "Telegram code 482910", "telegram", "482910", Instant.now().minusSeconds(1));
        customer.awaitMessages(id, messages -> messages.size() == 2, Duration.ofSeconds(30));

        Metrics.await("fetchsms_codes_released_total", v -> v >= released + 1, Duration.ofSeconds(10), "product",
                "rental");
        assertEquals(released + 1, Metrics.value("fetchsms_codes_released_total", "product", "rental"),
                "the message without a code is stored but releases no code");
        assertEquals(delays + 1, Metrics.value("fetchsms_code_release_delay_seconds_count", "product", "rental"));
    }

    private static double purchases(String outcome) {
        return Metrics.value("fetchsms_purchases_total", "product", "rental", "outcome", outcome, "via", "request");
    }
}
