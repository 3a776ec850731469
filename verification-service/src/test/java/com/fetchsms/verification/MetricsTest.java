package com.fetchsms.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.SmsInbound;
import com.fetchsms.common.phone.PhoneNumbers;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.Metrics;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The business metrics as Prometheus scrapes them, moved by real purchases and real events. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class MetricsTest {

    static final String PURCHASES = "fetchsms_purchases_total";

    @Test
    void eachPurchaseIsCountedOnceWithItsProductAndOutcome() {
        double created = purchases("created");
        double poor = purchases("insufficient_funds");
        double stock = purchases("out_of_stock");
        double unknown = purchases("unknown_service");

        new Fixtures().withBalance(1000).create(4).then().statusCode(201);
        assertEquals(created + 1, purchases("created"));

        new Fixtures().withBalance(10).create(4).then().statusCode(402);
        assertEquals(poor + 1, purchases("insufficient_funds"));

        new Fixtures().withBalance(1000).create(7).then().statusCode(409);
        assertEquals(stock + 1, purchases("out_of_stock"));

        new Fixtures().withBalance(1000).create(999).then().statusCode(404);
        assertEquals(unknown + 1, purchases("unknown_service"));

        assertEquals(created + 1, purchases("created"), "a refusal is not counted as created");
        String scrape = Metrics.scrape();
        for (String outcome : new String[]{"upstream_unavailable", "abandoned", "invalid_request"}) {
            assertTrue(Metrics.present(scrape, PURCHASES, "product", "verification", "outcome", outcome),
                    "every outcome is published from the start: " + outcome);
        }
        assertTrue(Metrics.present(scrape, PURCHASES, "outcome", "created", "via", "recovery"));
    }

    @Test
    void aReleasedCodeIsCountedWithTheTimeSinceTheCarrierReceivedIt() {
        double released = Metrics.value("fetchsms_codes_released_total", "product", "verification");
        double delays = Metrics.value("fetchsms_code_release_delay_seconds_count", "product", "verification");
        double delaySum = Metrics.value("fetchsms_code_release_delay_seconds_sum", "product", "verification");
        double underASecond = bucket("1.0");
        double processed = consumed("processed");
        double duplicates = consumed("duplicate");

        Fixtures customer = new Fixtures().withBalance(1000);
        String number = customer.create(4).then().statusCode(201).extract().path("number");
        SmsInbound sms = new SmsInbound(UUID.randomUUID(), PhoneNumbers.toE164(number).orElseThrow(), "Telegram",
                "Telegram code 731904", "telegram", "Telegram", "731904", UUID.randomUUID(),
                Instant.now().minusSeconds(3));
        String eventId = KafkaEvents.send(sms);

        Metrics.await("fetchsms_codes_released_total", v -> v >= released + 1, Duration.ofSeconds(30), "product",
                "verification");
        assertEquals(delays + 1,
                Metrics.value("fetchsms_code_release_delay_seconds_count", "product", "verification"));
        assertTrue(Metrics.value("fetchsms_code_release_delay_seconds_sum", "product", "verification") >= delaySum + 3,
                "received 3 s before it was sent");
        assertEquals(underASecond, bucket("1.0"), "a 3-second delay is not in the 1-second bucket");
        assertTrue(bucket("300.0") >= 1, "SLO buckets are published");
        Metrics.await("fetchsms_consumer_events_total", v -> v >= processed + 1, Duration.ofSeconds(10), "consumer",
                "verification-service.sms-inbound", "outcome", "processed");

        KafkaEvents.send(sms, eventId); // a redelivery: applied once, counted as a duplicate
        Metrics.await("fetchsms_consumer_events_total", v -> v >= duplicates + 1, Duration.ofSeconds(30),
                "consumer", "verification-service.sms-inbound", "outcome", "duplicate");
        assertEquals(released + 1, Metrics.value("fetchsms_codes_released_total", "product", "verification"));
    }

    @Test
    void everyMetricNamesItsServiceAndRequestLatencyHasBuckets() {
        new Fixtures().withBalance(1000).create(4).then().statusCode(201);
        String scrape = Metrics.scrape();
        assertTrue(Metrics.present(scrape, PURCHASES, "service", "verification-service", "outcome", "created"));
        assertTrue(Metrics.present(scrape, "fetchsms_outbox_pending", "service", "verification-service"));
        assertTrue(Metrics.present(scrape, "http_server_requests_seconds_bucket", "uri", "/v1/verifications", "le",
                "0.25"), "latency buckets for histogram_quantile");
    }

    private static double purchases(String outcome) {
        return Metrics.value(PURCHASES, "product", "verification", "outcome", outcome, "via", "request");
    }

    private static double bucket(String le) {
        return Metrics.value("fetchsms_code_release_delay_seconds_bucket", "product", "verification", "le", le);
    }

    private static double consumed(String outcome) {
        return Metrics.value("fetchsms_consumer_events_total", "consumer", "verification-service.sms-inbound",
                "outcome", outcome);
    }
}
