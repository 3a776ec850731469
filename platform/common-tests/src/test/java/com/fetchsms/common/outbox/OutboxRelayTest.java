package com.fetchsms.common.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.InventoryNumberChanged;
import com.fetchsms.common.events.Topics;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceTestResource;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@link Outbox} and {@link OutboxRelay} on a real database and broker: what reaches {@code inventory.numbers}, in
 * which order, and what stays in {@code outbox_event}. Each test uses numbers of its own as keys.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class OutboxRelayTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** {@link OutboxRelay}'s advisory lock key (private there): a replica in a pass holds it. */
    private static final long RELAY_LOCK = 0x6f7574626f78L;

    @Inject
    Pool pool;
    @Inject
    Outbox outbox;
    @Inject
    OutboxRelay relay;
    @Inject
    MeterRegistry registry;

    @Test
    void committedEventsArePublishedOnceEachInTheOrderTheyWereCommittedPerKey() {
        String number = freshNumber();
        double publishedBefore = registry.get("fetchsms.outbox.published").counter().count();
        List<UUID> ids = new ArrayList<>();
        // three events in one transaction, then two transactions of one event each
        ids.addAll(pool.withTransaction(tx -> outbox.publishAll(tx,
                List.of(change(number, "s1"), change(number, "s2"), change(number, "s3"))))
                .await().indefinitely());
        ids.add(pool.withTransaction(tx -> outbox.publish(tx, change(number, "s4"))).await().indefinitely());
        ids.add(pool.withTransaction(tx -> outbox.publish(tx, change(number, "s5"))).await().indefinitely());

        // one key is one partition: once the last is there, read everything of the key up to it
        awaitOnTopic(ids.get(4));
        List<KafkaEvents.Received> records = ofKey(number);
        assertEquals(ids.stream().map(UUID::toString).toList(),
                records.stream().map(KafkaEvents.Received::id).toList(), "each once, in commit order");
        assertEquals(List.of("s1", "s2", "s3", "s4", "s5"),
                records.stream().map(r -> r.data().get("state").asText()).toList());
        KafkaEvents.Received first = records.get(0);
        assertEquals("fetchsms.inventory.number-changed.v1", first.type());
        assertEquals("/fetchsms/common-tests", first.source());
        awaitOutboxEmptyOf(ids);
        assertTrue(registry.get("fetchsms.outbox.published").counter().count() >= publishedBefore + 5);
    }

    @Test
    void anEventOfARolledBackTransactionIsNeverPublished() {
        String number = freshNumber();
        List<UUID> rolledBack = new ArrayList<>();
        Throwable failure = pool.withTransaction(tx -> outbox.publish(tx, change(number, "rolled-back"))
                .invoke(rolledBack::add)
                .chain(id -> Uni.createFrom().<UUID>failure(new IllegalStateException("the business rule failed"))))
                .onItemOrFailure().transform((item, error) -> error).await().indefinitely();
        assertTrue(failure instanceof IllegalStateException, String.valueOf(failure));
        assertEquals(0, outboxRows(rolledBack), "the row went with its transaction");

        // a later committed event of the same key: same partition, published after anything written before it
        UUID marker = pool.withTransaction(tx -> outbox.publish(tx, change(number, "committed"))).await()
                .indefinitely();
        awaitOnTopic(marker);
        assertEquals(List.of(marker.toString()), ofKey(number).stream().map(KafkaEvents.Received::id).toList());
    }

    @Test
    void whileAnotherReplicaHoldsTheRelayLockNoPassPublishesAndOnceReleasedTheRowsFollow() {
        String number = freshNumber();
        List<UUID> ids = new ArrayList<>();
        SqlConnection otherReplica = pool.getConnection().await().indefinitely();
        try {
            otherReplica.preparedQuery("SELECT pg_advisory_lock($1)").execute(Tuple.of(RELAY_LOCK)).await()
                    .indefinitely();
            ids.add(pool.withTransaction(tx -> outbox.publish(tx, change(number, "held"))).await().indefinitely());

            // a pass now finds the lock taken: it reads and sends nothing, the row stays for whoever holds the lock
            assertEquals(0, relay.drainOnce().await().indefinitely());
            assertEquals(1, outboxRows(ids));
        } finally {
            otherReplica.preparedQuery("SELECT pg_advisory_unlock($1)").execute(Tuple.of(RELAY_LOCK)).await()
                    .indefinitely();
            otherReplica.closeAndAwait();
        }
        // the contended pass retries on its own once the lock is free
        awaitOnTopic(ids.get(0));
        awaitOutboxEmptyOf(ids);
        assertEquals(1, ofKey(number).size());
    }

    @Test
    void passesRunningAtOnceAsOnSeveralReplicasPublishEveryRowExactlyOnceAndInOrderPerKey() {
        // rows committed while every relay is held off, as if replicas had written them and died before relaying
        List<String> numbers = List.of(freshNumber(), freshNumber(), freshNumber(), freshNumber());
        Map<String, List<UUID>> idsByNumber = new LinkedHashMap<>();
        List<UUID> all = new ArrayList<>();
        SqlConnection holder = pool.getConnection().await().indefinitely();
        try {
            holder.preparedQuery("SELECT pg_advisory_lock($1)").execute(Tuple.of(RELAY_LOCK)).await().indefinitely();
            for (int i = 0; i < 15; i++) {
                for (String number : numbers) {
                    UUID id = UUID.randomUUID();
                    insertRow(id, number, "n" + i);
                    idsByNumber.computeIfAbsent(number, n -> new ArrayList<>()).add(id);
                    all.add(id);
                }
            }
        } finally {
            holder.preparedQuery("SELECT pg_advisory_unlock($1)").execute(Tuple.of(RELAY_LOCK)).await()
                    .indefinitely();
            holder.closeAndAwait();
        }

        // four passes at the same moment (and this replica's own relay on its poll): each sees all sixty rows
        List<Uni<Integer>> passes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            passes.add(relay.drainOnce());
        }
        List<Integer> published = Uni.join().all(passes).andFailFast().await().atMost(PATIENCE);
        assertTrue(published.stream().mapToInt(Integer::intValue).sum() <= all.size(), "passes published "
                + published);

        awaitOutboxEmptyOf(all);
        for (String number : numbers) {
            List<String> onTopic = ofKey(number).stream().map(KafkaEvents.Received::id).toList();
            assertEquals(idsByNumber.get(number).stream().map(UUID::toString).toList(), onTopic,
                    "every row of " + number + " once, in order");
        }
    }

    private void insertRow(UUID id, String number, String state) {
        pool.preparedQuery("""
                INSERT INTO outbox_event (id, topic, message_key, event_type, source, payload, occurred_at)
                VALUES ($1, 'inventory.numbers', $2, 'fetchsms.inventory.number-changed.v1',
                        '/fetchsms/common-tests', $3::text::jsonb, now())""")
                .execute(Tuple.of(id, number, "{\"number\":\"" + number + "\",\"state\":\"" + state + "\"}"))
                .await().indefinitely();
    }

    private static InventoryNumberChanged change(String number, String state) {
        return new InventoryNumberChanged(number, number.substring(2, 5), UUID.randomUUID(), state, Instant.now());
    }

    /** A number no other test (nor another run on the same broker) uses. */
    private static String freshNumber() {
        return "+1" + (200 + (int) (Math.random() * 700)) + String.format("%07d", (int) (Math.random() * 10_000_000));
    }

    private static void awaitOnTopic(UUID id) {
        KafkaEvents.await(Topics.INVENTORY_NUMBERS, r -> id.toString().equals(r.id()), PATIENCE);
    }

    /** Every record of {@code number}'s key on the topic up to now, in partition order. */
    private static List<KafkaEvents.Received> ofKey(String number) {
        return KafkaEvents.upToNow(Topics.INVENTORY_NUMBERS, r -> number.equals(r.key()));
    }

    private long outboxRows(List<UUID> ids) {
        return pool.preparedQuery("SELECT count(*) FROM outbox_event WHERE id = ANY($1)")
                .execute(Tuple.tuple().addArrayOfUUID(ids.toArray(UUID[]::new))).await().indefinitely().iterator()
                .next().getLong(0);
    }

    private void awaitOutboxEmptyOf(List<UUID> ids) {
        await().atMost(PATIENCE).until(() -> outboxRows(ids) == 0);
    }
}
