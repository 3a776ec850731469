package com.fetchsms.common.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.WalletRefunded;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.KafkaEvents.Outgoing;
import com.fetchsms.testkit.ServiceTestResource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@link IdempotentConsumer} as a service runs it: a batch channel of a real Kafka broker ({@code wallet.refunded}),
 * its effects and {@code processed_event} rows in a real PostgreSQL database, the dead-letter topic of the channel's
 * failure strategy. The handler is {@link ProbeConsumer}. The refunds of one test share one account, so one key and one
 * partition: they reach the consumer in the order sent, and an event's effect being visible means every event sent
 * before it was handled.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class IdempotentConsumerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String DEAD_LETTER_TOPIC = "common-tests.dead-letter";

    @Inject
    Pool pool;
    @Inject
    MeterRegistry registry;
    @Inject
    ProbeConsumer probe;

    @Test
    void anEventDeliveredAgainLaterOrTwiceInOneBatchIsAppliedOnce() {
        UUID account = UUID.randomUUID();
        double duplicatesBefore = events("duplicate");
        WalletRefunded first = refund(account, "applied");
        String firstId = UUID.randomUUID().toString();
        KafkaEvents.send(first, firstId);
        awaitApplied(first);
        // the relay resends it (a crash between its send and its delete), in a later batch
        KafkaEvents.send(first, firstId);
        // and a record twice within one batch, then a marker after both
        WalletRefunded second = refund(account, "applied");
        String secondId = UUID.randomUUID().toString();
        WalletRefunded marker = refund(account, "marker");
        KafkaEvents.sendAll(List.of(new Outgoing(second, secondId), new Outgoing(second, secondId),
                new Outgoing(marker, UUID.randomUUID().toString())));

        awaitApplied(marker);
        assertEquals(1, applications(first), "the resent event changed nothing");
        assertEquals(1, applications(second), "the event sent twice in one batch was applied once");
        assertEquals(1, processed(firstId));
        assertEquals(1, processed(secondId));
        // the copy in the later batch and the copy within the batch are counted as duplicates
        await().atMost(PATIENCE).until(() -> events("duplicate") >= duplicatesBefore + 2);
    }

    @Test
    void theEventsOfOnePollAreAppliedInOneTransactionInTheirOrder() {
        UUID account = UUID.randomUUID();
        List<WalletRefunded> refunds = new ArrayList<>();
        List<Outgoing> outgoing = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            WalletRefunded refund = refund(account, "batch-" + i);
            refunds.add(refund);
            outgoing.add(new Outgoing(refund, UUID.randomUUID().toString()));
        }
        // one producer request, so one record batch on the partition: one poll of the consumer reads all five
        KafkaEvents.sendAll(outgoing);

        awaitApplied(refunds.get(4));
        List<Row> rows = rows(account);
        assertEquals(refunds.stream().map(WalletRefunded::reason).toList(),
                rows.stream().map(row -> row.getString("reason")).toList(), "applied once each, in the sent order");
        assertEquals(1, rows.stream().map(row -> row.getLong("txid")).distinct().count(),
                "all five applied by one transaction: " + rows.stream().map(row -> row.getLong("txid")).toList());
    }

    @Test
    void aBatchWhoseDatabaseConnectionDiesIsRetriedAndAppliedOnceWithoutDeadLettering() {
        UUID account = UUID.randomUUID();
        double retriesBefore = retries();
        double deadBefore = events("dead_lettered");
        double processedBefore = events("processed");
        WalletRefunded dropped = refund(account, ProbeConsumer.DROP_CONNECTION);
        WalletRefunded after = refund(account, "after");
        KafkaEvents.sendAll(List.of(new Outgoing(dropped, UUID.randomUUID().toString()),
                new Outgoing(after, UUID.randomUUID().toString())));

        awaitApplied(after);
        assertEquals(1, applications(dropped));
        assertEquals(1, applications(after));
        assertTrue(probe.attempts(dropped.purchaseId()) >= 2,
                "attempts: " + probe.attempts(dropped.purchaseId()));
        assertTrue(retries() >= retriesBefore + 1, "fetchsms_consumer_retries_total counts the retried batch");
        // both were counted processed (and so neither dead-lettered: an event has one outcome)
        await().atMost(PATIENCE).until(() -> events("processed") >= processedBefore + 2);
        assertEquals(deadBefore, events("dead_lettered"));
    }

    @Test
    void aPoisonedEventIsDeadLetteredAloneAfterItsRetriesAndTheRestOfItsBatchIsApplied() {
        UUID account = UUID.randomUUID();
        double deadBefore = events("dead_lettered");
        WalletRefunded before = refund(account, "before");
        // a NUL character: PostgreSQL refuses the text however often the event is tried
        WalletRefunded poisoned = refund(account, "poisoned\u0000");
        WalletRefunded after = refund(account, "after");
        String poisonedId = UUID.randomUUID().toString();
        KafkaEvents.sendAll(List.of(new Outgoing(before, UUID.randomUUID().toString()),
                new Outgoing(poisoned, poisonedId), new Outgoing(after, UUID.randomUUID().toString())));

        KafkaEvents.Received dead = KafkaEvents.await(DEAD_LETTER_TOPIC, r -> poisonedId.equals(r.id()), PATIENCE);
        assertEquals(account.toString(), dead.key());
        assertNotNull(dead.headers().get("dead-letter-reason"), "the failure travels with it: " + dead.headers());
        awaitApplied(after);
        assertEquals(1, applications(before));
        assertEquals(1, applications(after));
        // the dead letter was sent after its last attempt rolled back: nothing of it is left in the database
        assertEquals(0, applications(poisoned));
        assertEquals(0, processed(poisonedId));
        // once in the batch, then alone: once and fetchsms.consumer.max-retries (2) more
        assertEquals(4, probe.attempts(poisoned.purchaseId()));
        List<Row> rows = rows(account);
        assertEquals(2, rows.stream().map(row -> row.getLong("txid")).distinct().count(),
                "after the batch failed, each event was applied in a transaction of its own");
        await().atMost(PATIENCE).until(() -> events("dead_lettered") >= deadBefore + 1);
    }

    private static WalletRefunded refund(UUID account, String reason) {
        return new WalletRefunded(UUID.randomUUID(), account, 100, 1000, UUID.randomUUID(), reason, Instant.now());
    }

    private void awaitApplied(WalletRefunded refund) {
        await().atMost(PATIENCE).until(() -> applications(refund) > 0);
    }

    private long applications(WalletRefunded refund) {
        return pool.preparedQuery("SELECT count(*) FROM probe_applied WHERE purchase_id = $1")
                .execute(Tuple.of(refund.purchaseId())).await().indefinitely().iterator().next().getLong(0);
    }

    private long processed(String eventId) {
        return pool.preparedQuery("SELECT count(*) FROM processed_event WHERE consumer = $1 AND event_id = $2")
                .execute(Tuple.of(ProbeConsumer.CONSUMER, eventId)).await().indefinitely().iterator().next()
                .getLong(0);
    }

    /** The rows the account's refunds wrote, in the order they were written. */
    private List<Row> rows(UUID account) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery("SELECT reason, txid FROM probe_applied WHERE account_id = $1 ORDER BY seq")
                .execute(Tuple.of(account)).await().indefinitely().forEach(rows::add);
        return rows;
    }

    private double events(String outcome) {
        Counter counter = registry.find("fetchsms.consumer.events").tag("consumer", ProbeConsumer.CONSUMER)
                .tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private double retries() {
        Counter counter = registry.find("fetchsms.consumer.retries").tag("consumer", ProbeConsumer.CONSUMER)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
