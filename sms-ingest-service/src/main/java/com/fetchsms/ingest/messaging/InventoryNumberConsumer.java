package com.fetchsms.ingest.messaging;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fetchsms.common.events.EventType;
import com.fetchsms.common.events.InventoryNumberChanged;
import com.fetchsms.common.messaging.EventEnvelope;
import com.fetchsms.common.messaging.IdempotentConsumer;
import com.fetchsms.ingest.repository.NumberRepository;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Keeps the local copy of which gateway serves which number from the compacted {@code inventory.numbers} topic (read
 * from the beginning by a new consumer group, so a fresh database learns the whole inventory). A state older than
 * the one stored is ignored.
 */
@ApplicationScoped
public class InventoryNumberConsumer {

    static final String CONSUMER = "sms-ingest-service.inventory-numbers";

    private final IdempotentConsumer consumer;
    private final NumberRepository numbers;

    public InventoryNumberConsumer(IdempotentConsumer consumer, NumberRepository numbers) {
        this.consumer = consumer;
        this.numbers = numbers;
    }

    @Incoming("inventory-numbers")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return consumer.consumeBatch(CONSUMER, Set.of(EventType.INVENTORY_NUMBER_CHANGED), batch, this::apply);
    }

    Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        InventoryNumberChanged change = (InventoryNumberChanged) event.payload();
        if (change.number() == null || change.state() == null || change.changedAt() == null) {
            return Uni.createFrom().voidItem();
        }
        return numbers.upsert(tx, change.number(), change.gatewayId(), change.state(), change.changedAt());
    }
}
