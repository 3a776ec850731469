package com.fetchsms.rental;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.SmsInbound;
import com.fetchsms.common.phone.PhoneNumbers;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.KafkaEvents.Outgoing;
import com.fetchsms.testkit.Metrics;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The SMS consumer applies a polled batch of {@code sms.inbound} records in one transaction (the shared
 * {@code IdempotentConsumer.consumeBatch}): records arriving together are applied in order, an event delivered twice is
 * applied once, a poisoned event is dead-lettered alone while the rest of its batch is applied, and an SMS on a number no
 * rental holds is skipped before any transaction.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class SmsBatchConsumerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    Pool pool;
    private static final String CONSUMER = "rental-service.sms-inbound";

    @Test
    void smsArrivingTogetherAreStoredInOrderAndAnEventDeliveredTwiceIsAppliedOnce() {
        Rented rented = Rented.oneDay();
        Fixtures customer = rented.customer();
        String id = rented.id();
        String number = rented.number();
        double duplicatesBefore = events("duplicate");

        Instant now = Instant.now();
        // no message id: the stored message's id derives from the event id, so only the event id tells copies apart
        SmsInbound first = sms(number, "Telegram code 100001", "telegram", "100001", now);
        SmsInbound second = sms(number, "WhatsApp code: 200-002", "whatsapp", "200-002", now.plusMillis(10));
        SmsInbound marker = sms(number, "G-300003 is your Google verification code.", "google", "G-300003",
                now.plusMillis(20));
        String firstId = UUID.randomUUID().toString();
        KafkaEvents.sendAll(List.of(new Outgoing(first, firstId), new Outgoing(first, firstId),
                new Outgoing(second, UUID.randomUUID().toString()), new Outgoing(first, firstId),
                new Outgoing(marker, UUID.randomUUID().toString())));

        // one number is one key, so one partition: once the last record is stored, every earlier one was applied
        List<Map<String, Object>> messages = customer.awaitMessages(id,
                m -> m.stream().anyMatch(message -> "G-300003".equals(message.get("code"))), PATIENCE);
        assertEquals(List.of("G-300003", "200-002", "100001"), messages.stream().map(m -> m.get("code")).toList(),
                "each SMS stored once, newest first");
        assertEquals("G-300003", customer.rental(id).getString("last_code"));
        Metrics.await("fetchsms_consumer_events_total", v -> v >= duplicatesBefore + 2, PATIENCE, "consumer",
                CONSUMER, "outcome", "duplicate");
    }

    @Test
    void aPoisonedEventIsDeadLetteredAloneAndTheRestOfItsBatchIsApplied() {
        Rented rented = Rented.oneDay();
        Fixtures customer = rented.customer();
        String id = rented.id();
        String number = rented.number();

        Instant now = Instant.now();
        // a NUL in the sender: PostgreSQL refuses the text, so applying this event fails however often it is tried
        SmsInbound poisoned = new SmsInbound(UUID.randomUUID(), number, "Tele\u0000gram", "Telegram code 400004",
                "telegram", "Telegram", "400004", UUID.randomUUID(), now);
        SmsInbound good = sms(number, "WhatsApp code: 500-005", "whatsapp", "500-005", now.plusMillis(10));
        String poisonedId = UUID.randomUUID().toString();
        KafkaEvents.sendAll(List.of(new Outgoing(poisoned, poisonedId),
                new Outgoing(good, UUID.randomUUID().toString())));

        List<Map<String, Object>> messages = customer.awaitMessages(id,
                m -> m.stream().anyMatch(message -> "500-005".equals(message.get("code"))), PATIENCE);
        assertEquals(List.of("500-005"), messages.stream().map(m -> m.get("code")).toList());
        KafkaEvents.Received dead = KafkaEvents.await("rental-service.dead-letter",
                r -> poisonedId.equals(r.id()), PATIENCE);
        assertEquals(number, dead.key());
        assertTrue(events("dead_lettered") >= 1);
    }

    @Test
    void anSmsOnANumberNoRentalHoldsIsSkippedWithoutATransactionAndOneOnARentedNumberInTheSameBatchIsStored() {
        Rented rented = Rented.oneDay();
        Fixtures customer = rented.customer();
        String id = rented.id();
        String number = rented.number();
        double skippedBefore = events("skipped");

        Instant now = Instant.now();
        // a verification's number, as far as this service knows: no rental ever held it
        String elsewhere = "+1202555" + String.format("%04d", (int) (Math.random() * 10000));
        String skippedId = UUID.randomUUID().toString();
        String storedId = UUID.randomUUID().toString();
        KafkaEvents.sendAll(List.of(
                new Outgoing(sms(elsewhere, "Telegram code 600006", "telegram", "600006", now), skippedId),
                new Outgoing(sms(number, "Telegram code 700007", "telegram", "700007", now), storedId)));

        customer.awaitMessages(id, m -> m.stream().anyMatch(message -> "700007".equals(message.get("code"))),
                PATIENCE);
        Metrics.await("fetchsms_consumer_events_total", v -> v >= skippedBefore + 1, PATIENCE, "consumer", CONSUMER,
                "outcome", "skipped");
        // the skipped SMS left no trace in the consumer's table; the stored one did
        assertEquals(List.of(storedId), pool.preparedQuery("""
                SELECT event_id FROM processed_event WHERE consumer = $1 AND event_id = ANY($2) ORDER BY event_id""")
                .execute(Tuple.of(CONSUMER, new String[]{skippedId, storedId})).await().atMost(PATIENCE)
                .stream().map(row -> row.getString(0)).toList());
    }

    /** A customer's new one-day rental: the customer, the rental's id and its number (E.164). */
    private record Rented(Fixtures customer, String id, String number) {
        static Rented oneDay() {
            Fixtures customer = new Fixtures().withBalance(5000);
            String id = customer.rent(1, 1).then().statusCode(201).extract().path("id");
            return new Rented(customer, id,
                    PhoneNumbers.toE164(customer.rental(id).getString("number")).orElseThrow());
        }
    }

    /** The SMS consumer's events so far with this outcome ({@code fetchsms_consumer_events_total}). */
    private static double events(String outcome) {
        return Metrics.value("fetchsms_consumer_events_total", "consumer", CONSUMER, "outcome", outcome);
    }

    private static SmsInbound sms(String number, String body, String service, String code, Instant receivedAt) {
        String name = service.substring(0, 1).toUpperCase() + service.substring(1);
        return new SmsInbound(null, number, name, body, service, name, code, UUID.randomUUID(), receivedAt);
    }
}
