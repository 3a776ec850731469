package com.fetchsms.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.SmsInbound;
import com.fetchsms.common.events.Topics;
import com.fetchsms.common.phone.PhoneNumbers;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * One trace follows a purchase and an SMS across REST, the outbox and Kafka, on the real broker: the trace id chosen by
 * the caller reaches catalog-service's reservation call, and the Kafka record of the event the request (or the consumed
 * event) caused carries it in its {@code traceparent} header, for the next service's consumer span. (Without a span
 * exporter, as here, spans are not recorded and the header says "not sampled"; {@code TraceExportTest} exports.)
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class TracePropagationTest {

    @Test
    void aRequestsTraceReachesTheInternalCallAndTheKafkaRecordOfItsEvent() {
        Fixtures customer = new Fixtures().withBalance(1000);
        String purchaseTrace = randomHex(16);
        String id = customer.as().header("traceparent", traceparent(purchaseTrace)).contentType("application/json")
                .body("{\"service\": 4}").post("/v1/verifications").then().statusCode(201).extract().path("id");
        assertEquals(purchaseTrace, traceId(Fixtures.stubText("/stub/traceparent/" + id)),
                "the reservation call to catalog-service is part of the purchase's trace");

        String cancelTrace = randomHex(16);
        String parent = traceparent(cancelTrace);
        customer.as().header("traceparent", parent).post("/v1/verifications/" + id + "/cancel").then()
                .statusCode(200);

        KafkaEvents.Received event = KafkaEvents.await(Topics.VERIFICATION_CANCELLED, r -> id.equals(r.key()),
                Duration.ofSeconds(30));
        String header = event.headers().get("traceparent");
        // no span exporter is configured here, so spans are not recorded: the trace goes on, flagged "not sampled"
        assertTrue(header != null && header.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00"), String.valueOf(header));
        assertEquals(cancelTrace, traceId(header), "the record continues the request's trace");
        assertNotEquals(parent, header, "its parent is the producer span, a descendant of the request's span");
    }

    @Test
    void anSmssTraceContinuesThroughTheConsumerToTheEventItCauses() {
        Fixtures customer = new Fixtures().withBalance(1000);
        String id = customer.create(4).then().statusCode(201).extract().path("id");
        String number = customer.as().get("/v1/verifications/" + id).then().statusCode(200).extract().path("number");

        String smsTrace = randomHex(16);
        KafkaEvents.send(new SmsInbound(UUID.randomUUID(), PhoneNumbers.toE164(number).orElseThrow(), "Telegram",
                "Telegram code 550119", "telegram", "Telegram", "550119", UUID.randomUUID(), Instant.now()),
                UUID.randomUUID().toString(), Map.of("traceparent", traceparent(smsTrace)));

        KafkaEvents.Received received = KafkaEvents.await(Topics.VERIFICATION_RECEIVED, r -> id.equals(r.key()),
                Duration.ofSeconds(30));
        assertEquals(smsTrace, traceId(received.headers().get("traceparent")),
                "verification.received continues the trace of the sms.inbound that released the code");
    }

    static String traceparent(String traceId) {
        return "00-" + traceId + "-" + randomHex(8) + "-01";
    }

    static String traceId(String traceparent) {
        return traceparent == null || traceparent.length() < 35 ? null : traceparent.substring(3, 35);
    }

    static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1; // never all zeros (an invalid id)
        return HexFormat.of().formatHex(random);
    }
}
