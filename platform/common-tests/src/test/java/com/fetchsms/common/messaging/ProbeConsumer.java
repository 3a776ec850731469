package com.fetchsms.common.messaging;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fetchsms.common.events.EventType;
import com.fetchsms.common.events.WalletRefunded;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The test application's consumer of {@code wallet.refunded}, written like a service's batch consumer: each event is
 * applied through {@link IdempotentConsumer#consumeBatch} by inserting a row into {@code probe_applied} with the id of
 * the transaction that applied it. The event's {@code reason} chooses how applying it goes:
 * <ul>
 * <li>{@link #DROP_CONNECTION}: the first attempt kills its own database connection (the database goes away under the
 * transaction, a transient failure); later attempts apply it;</li>
 * <li>a reason with a NUL character: PostgreSQL refuses the text every time (a poisoned event);</li>
 * <li>anything else: applied.</li>
 * </ul>
 */
@ApplicationScoped
public class ProbeConsumer {

    public static final String CONSUMER = "common-tests.probe";
    public static final String DROP_CONNECTION = "drop-connection-once";

    private final IdempotentConsumer consumer;
    private final Map<UUID, AtomicInteger> attempts = new ConcurrentHashMap<>();

    public ProbeConsumer(IdempotentConsumer consumer) {
        this.consumer = consumer;
    }

    @Incoming("probe")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return consumer.consumeBatch(CONSUMER, Set.of(EventType.WALLET_REFUNDED), batch, this::apply);
    }

    /** How many times the handler ran for the refund of {@code purchaseId} (every attempt, committed or not). */
    public int attempts(UUID purchaseId) {
        AtomicInteger count = attempts.get(purchaseId);
        return count == null ? 0 : count.get();
    }

    Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        WalletRefunded refund = (WalletRefunded) event.payload();
        int attempt = attempts.computeIfAbsent(refund.purchaseId(), id -> new AtomicInteger()).incrementAndGet();
        if (DROP_CONNECTION.equals(refund.reason()) && attempt == 1) {
            return tx.query("SELECT pg_terminate_backend(pg_backend_pid())").execute().replaceWithVoid();
        }
        return tx.preparedQuery("""
                INSERT INTO probe_applied (event_id, account_id, purchase_id, reason, txid)
                VALUES ($1, $2, $3, $4, txid_current())""")
                .execute(Tuple.of(event.id(), refund.accountId(), refund.purchaseId(), refund.reason()))
                .replaceWithVoid();
    }
}
