package com.fetchsms.verification;

import static com.fetchsms.verification.TracePropagationTest.randomHex;
import static com.fetchsms.verification.TracePropagationTest.traceId;
import static com.fetchsms.verification.TracePropagationTest.traceparent;
import static com.fetchsms.verification.VerificationLifecycleTest.awaitStatus;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.SmsInbound;
import com.fetchsms.common.events.Topics;
import com.fetchsms.common.phone.PhoneNumbers;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.KafkaEvents.Outgoing;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * SMS arriving together are applied together: one statement releases the codes of a whole batch, each waiting
 * verification takes the first SMS of the batch meant for it, and each released code gets its own
 * {@code verification.received}, continuing the trace of its own SMS.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class SmsBatchReleaseTest {

    @Test
    void aBatchReleasesEachCodeToItsOwnVerificationAndTheFirstSmsForOneWins() {
        Fixtures customer = new Fixtures().withBalance(1000);
        JsonPath telegram = customer.create(4).then().statusCode(201).extract().jsonPath();
        JsonPath whatsapp = customer.create(2).then().statusCode(201).extract().jsonPath();
        String telegramNumber = PhoneNumbers.toE164(telegram.getString("number")).orElseThrow();
        String whatsappNumber = PhoneNumbers.toE164(whatsapp.getString("number")).orElseThrow();

        Instant now = Instant.now();
        String firstTrace = randomHex(16);
        String whatsappTrace = randomHex(16);
        String firstId = UUID.randomUUID().toString();
        SmsInbound first = sms(telegramNumber, "telegram", "111111", now);
        KafkaEvents.sendAll(List.of(
                // for another service on the Telegram verification's number: not its code
                new Outgoing(sms(telegramNumber, "google", "G-999999", now), UUID.randomUUID().toString()),
                new Outgoing(first, firstId, Map.of("traceparent", traceparent(firstTrace))),
                new Outgoing(sms(telegramNumber, "telegram", "222222", now.plusMillis(10)),
                        UUID.randomUUID().toString()),
                new Outgoing(sms(whatsappNumber, "whatsapp", "333333", now),
                        UUID.randomUUID().toString(), Map.of("traceparent", traceparent(whatsappTrace))),
                // the first SMS again (a relay re-send): applied once
                new Outgoing(first, firstId)));

        awaitStatus(customer, telegram.getString("id"), "received");
        awaitStatus(customer, whatsapp.getString("id"), "received");
        customer.as().get("/v1/verifications/" + telegram.getString("id")).then().body("code", equalTo("111111"));
        customer.as().get("/v1/verifications/" + whatsapp.getString("id")).then().body("code", equalTo("333333"));

        KafkaEvents.Received telegramEvent = KafkaEvents.await(Topics.VERIFICATION_RECEIVED,
                r -> telegram.getString("id").equals(r.key()), Duration.ofSeconds(30));
        KafkaEvents.Received whatsappEvent = KafkaEvents.await(Topics.VERIFICATION_RECEIVED,
                r -> whatsapp.getString("id").equals(r.key()), Duration.ofSeconds(30));
        assertEquals("111111", telegramEvent.data().get("code").asText());
        assertEquals(firstTrace, traceId(telegramEvent.headers().get("traceparent")), "the trace of its own SMS");
        assertEquals(whatsappTrace, traceId(whatsappEvent.headers().get("traceparent")), "the trace of its own SMS");
        assertEquals(1, KafkaEvents.upToNow(Topics.VERIFICATION_RECEIVED,
                r -> telegram.getString("id").equals(r.key())).size(), "one event per released code");
        assertEquals(1000 - telegram.getInt("cost_cents") - whatsapp.getInt("cost_cents"), customer.balance());
    }

    private static SmsInbound sms(String number, String service, String code, Instant receivedAt) {
        String name = service.substring(0, 1).toUpperCase() + service.substring(1);
        return new SmsInbound(UUID.randomUUID(), number, name, name + " code " + code, service, name, code,
                UUID.randomUUID(), receivedAt);
    }
}
