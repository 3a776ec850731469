package com.fetchsms.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.InventoryNumberChanged;
import com.fetchsms.common.events.Topics;
import com.fetchsms.common.outbox.Outbox;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.Metrics;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The shared transactional outbox, exercised in a real service against the real database and broker. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class OutboxRelayTest {

    /** OutboxRelay's advisory lock key. */
    static final long RELAY_LOCK = 0x6f7574626f78L;

    @Inject
    Pool pool;
    @Inject
    Outbox outbox;

    @Test
    void aCommittedEventIsPublishedAsACloudEventAndLeavesTheOutbox() {
        String number = "+1" + TestInventory.freshAreaCode() + "5550001";
        UUID id = pool.withTransaction(tx -> outbox.publish(tx,
                new InventoryNumberChanged(number, number.substring(2, 5), TestInventory.GATEWAY, "available",
                        Instant.parse("2026-06-17T22:14:05.123Z"))))
                .await().indefinitely();

        KafkaEvents.Received received = KafkaEvents.await(Topics.INVENTORY_NUMBERS, r -> id.toString().equals(r.id()),
                Duration.ofSeconds(20));
        assertEquals(number, received.key());
        assertEquals("fetchsms.inventory.number-changed.v1", received.type());
        assertEquals("/fetchsms/catalog-service", received.source());
        assertEquals("application/json", received.headers().get("content-type"));
        assertEquals("2026-06-17T22:14:05Z", received.data().get("changed_at").asText());
        awaitZero("SELECT count(*) FROM outbox_event WHERE id = $1", id);
    }

    @Test
    void aRolledBackTransactionPublishesNothing() {
        String number = "+1" + TestInventory.freshAreaCode() + "5550002";
        Throwable failure = pool.withTransaction(tx -> outbox.publish(tx,
                new InventoryNumberChanged(number, number.substring(2, 5), TestInventory.GATEWAY, "available",
                        Instant.now()))
                .chain(id -> Uni.createFrom().<UUID>failure(new IllegalStateException("business rule failed"))))
                .onItemOrFailure().transform((item, error) -> error).await().indefinitely();
        assertTrue(failure instanceof IllegalStateException);
        // a later committed event of the same key: one partition, so anything of the key written before it (the
        // rolled-back event, had it been kept) would be on the topic before it
        UUID marker = pool.withTransaction(tx -> outbox.publish(tx, new InventoryNumberChanged(number,
                number.substring(2, 5), TestInventory.GATEWAY, "retired", Instant.now()))).await().indefinitely();
        KafkaEvents.await(Topics.INVENTORY_NUMBERS, r -> marker.toString().equals(r.id()), Duration.ofSeconds(20));
        assertEquals(List.of(marker.toString()), KafkaEvents.upToNow(Topics.INVENTORY_NUMBERS,
                r -> number.equals(r.key())).stream().map(KafkaEvents.Received::id).toList());
    }

    @Test
    void rowsLeftBehindByACrashArePublishedByThePoll() {
        // as if a replica committed the row and died before any relay ran: no NOTIFY reaches anyone
        UUID id = UUID.randomUUID();
        String number = "+1" + TestInventory.freshAreaCode() + "5550003";
        pool.preparedQuery("""
                INSERT INTO outbox_event (id, topic, message_key, event_type, source, payload, occurred_at)
                VALUES ($1, 'inventory.numbers', $2, 'fetchsms.inventory.number-changed.v1',
                        '/fetchsms/catalog-service', $3::text::jsonb, now())""")
                .execute(Tuple.of(id, number, "{\"number\":\"" + number + "\",\"state\":\"available\"}"))
                .await().indefinitely();
        KafkaEvents.await(Topics.INVENTORY_NUMBERS, r -> id.toString().equals(r.id()), Duration.ofSeconds(20));
        awaitZero("SELECT count(*) FROM outbox_event WHERE id = $1", id);
    }

    @Test
    void theOutboxGaugesReadARowThatCannotBePublishedAndReturnToZeroOnceItIs() {
        double published = Metrics.value("fetchsms_outbox_published_total");
        UUID id = UUID.randomUUID();
        String number = "+1" + TestInventory.freshAreaCode() + "5550004";
        // hold the relay's lock, as a replica stuck in the middle of a pass would: nothing is published meanwhile
        SqlConnection blocker = pool.getConnection().await().indefinitely();
        try {
            blocker.preparedQuery("SELECT pg_advisory_lock($1)").execute(Tuple.of(RELAY_LOCK)).await().indefinitely();
            pool.preparedQuery("""
                    INSERT INTO outbox_event (id, topic, message_key, event_type, source, payload, occurred_at)
                    VALUES ($1, 'inventory.numbers', $2, 'fetchsms.inventory.number-changed.v1',
                            '/fetchsms/catalog-service', $3::text::jsonb, now() - interval '40 seconds')""")
                    .execute(Tuple.of(id, number, "{\"number\":\"" + number + "\",\"state\":\"available\"}"))
                    .await().indefinitely();

            Metrics.await("fetchsms_outbox_pending", v -> v >= 1, Duration.ofSeconds(30));
            Metrics.await("fetchsms_outbox_lag_seconds", v -> v >= 40, Duration.ofSeconds(30));
        } finally {
            blocker.preparedQuery("SELECT pg_advisory_unlock($1)").execute(Tuple.of(RELAY_LOCK)).await().indefinitely();
            blocker.closeAndAwait();
        }

        KafkaEvents.await(Topics.INVENTORY_NUMBERS, r -> id.toString().equals(r.id()), Duration.ofSeconds(30));
        Metrics.await("fetchsms_outbox_pending", v -> v == 0, Duration.ofSeconds(30));
        Metrics.await("fetchsms_outbox_lag_seconds", v -> v == 0, Duration.ofSeconds(30));
        assertTrue(Metrics.value("fetchsms_outbox_published_total") >= published + 1);
    }

    @Test
    void aRowTheProducerRefusesIsParkedAfterItsAttemptsAndLaterEventsStillFlow() {
        String poisoned = "+1" + TestInventory.freshAreaCode() + "5550005";
        String other = "+1" + TestInventory.freshAreaCode() + "5550006";
        UUID tooLarge = UUID.randomUUID();
        UUID sameKeyLater = UUID.randomUUID();
        UUID otherKeyLater = UUID.randomUUID();
        // a record over the producer's 1 MB max.request.size: refused every time, whatever the broker's state
        insert(tooLarge, poisoned, "{\"number\":\"" + poisoned + "\",\"state\":\"available\",\"pad\":\""
                + "x".repeat(1_100_000) + "\"}");
        insert(sameKeyLater, poisoned, "{\"number\":\"" + poisoned + "\",\"state\":\"retired\"}");
        insert(otherKeyLater, other, "{\"number\":\"" + other + "\",\"state\":\"available\"}");

        // another key is not held up by the refused row
        KafkaEvents.await(Topics.INVENTORY_NUMBERS, r -> otherKeyLater.toString().equals(r.id()),
                Duration.ofSeconds(20));
        // the refused row is parked after fetchsms.outbox.max-attempts (3 in tests) refusals ...
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> pool.preparedQuery(
                "SELECT parked_at IS NOT NULL AS parked FROM outbox_event WHERE id = $1").execute(Tuple.of(tooLarge))
                .await().indefinitely().iterator().next().getBoolean("parked"));
        Row parked = pool.preparedQuery("SELECT attempts, last_error FROM outbox_event WHERE id = $1")
                .execute(Tuple.of(tooLarge)).await().indefinitely().iterator().next();
        assertEquals(3, parked.getInteger("attempts"));
        assertTrue(parked.getString("last_error").contains("RecordTooLarge"), parked.getString("last_error"));
        Metrics.await("fetchsms_outbox_parked", v -> v >= 1, Duration.ofSeconds(30));
        assertTrue(Metrics.value("fetchsms_outbox_refused_total") >= 3);
        // ... and then the later event of its own key, which waited behind it, is delivered
        KafkaEvents.await(Topics.INVENTORY_NUMBERS, r -> sameKeyLater.toString().equals(r.id()),
                Duration.ofSeconds(20));
        awaitZero("SELECT count(*) FROM outbox_event WHERE id = $1", sameKeyLater);
        Metrics.await("fetchsms_outbox_pending", v -> v == 0, Duration.ofSeconds(30));

        // an operator who gives up on the row deletes it; the gauge follows
        pool.preparedQuery("DELETE FROM outbox_event WHERE id = $1 AND parked_at IS NOT NULL")
                .execute(Tuple.of(tooLarge)).await().indefinitely();
        Metrics.await("fetchsms_outbox_parked", v -> v == 0, Duration.ofSeconds(30));
    }

    private void insert(UUID id, String key, String payload) {
        pool.preparedQuery("""
                INSERT INTO outbox_event (id, topic, message_key, event_type, source, payload, occurred_at)
                VALUES ($1, 'inventory.numbers', $2, 'fetchsms.inventory.number-changed.v1',
                        '/fetchsms/catalog-service', $3::text::jsonb, now())""")
                .execute(Tuple.of(id, key, payload)).await().indefinitely();
    }

    @Test
    void compactedTopicsAreCreatedCompactedAtStart() {
        assertEquals("compact", KafkaEvents.topicConfig(Topics.INVENTORY_NUMBERS, "cleanup.policy"));
        assertEquals("compact", KafkaEvents.topicConfig(Topics.API_KEY_CHANGED, "cleanup.policy"));
        assertEquals("delete", KafkaEvents.topicConfig(Topics.VERIFICATION_EXPIRED, "cleanup.policy"));
    }

    private void awaitZero(String sql, Object arg) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pool.preparedQuery(sql).execute(Tuple.of(arg))
                .await().indefinitely().iterator().next().getLong(0) == 0);
    }
}
