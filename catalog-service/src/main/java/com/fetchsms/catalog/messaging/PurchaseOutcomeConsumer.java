package com.fetchsms.catalog.messaging;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fetchsms.catalog.service.InventoryService;
import com.fetchsms.catalog.service.NumberHealthService;
import com.fetchsms.common.events.CancelReason;
import com.fetchsms.common.events.EventType;
import com.fetchsms.common.events.RentalCancelled;
import com.fetchsms.common.events.RentalExpired;
import com.fetchsms.common.events.VerificationCancelled;
import com.fetchsms.common.events.VerificationExpired;
import com.fetchsms.common.events.VerificationReceived;
import com.fetchsms.common.messaging.EventEnvelope;
import com.fetchsms.common.messaging.IdempotentConsumer;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Ends reservations when purchases end: a delivered code records that the number served the service; expiry and
 * cancellation give the number back; the end of a rental returns the number to the short-term pool. A report (a
 * cancellation with reason {@code reported}) and an expiry while the service's codes reach other numbers count against
 * the number, which is retired from the service, or as a whole for a reported rental, when they add up (decision
 * 0022), in the same transaction.
 */
@ApplicationScoped
public class PurchaseOutcomeConsumer {

    static final String CONSUMER = "catalog-service.purchase-outcomes";
    static final Set<EventType> TYPES = Set.of(EventType.VERIFICATION_RECEIVED, EventType.VERIFICATION_EXPIRED,
            EventType.VERIFICATION_CANCELLED, EventType.RENTAL_EXPIRED, EventType.RENTAL_CANCELLED);

    private final IdempotentConsumer consumer;
    private final InventoryService inventory;
    private final NumberHealthService health;

    public PurchaseOutcomeConsumer(IdempotentConsumer consumer, InventoryService inventory,
            NumberHealthService health) {
        this.consumer = consumer;
        this.inventory = inventory;
        this.health = health;
    }

    /**
     * A batch's delivered codes are completed together ({@link InventoryService#completeAll}, two statements), before
     * its events are applied in order; every other event, and a delivered code the batch statement did not complete,
     * is applied on its own.
     */
    private final IdempotentConsumer.BatchHandler<Set<UUID>> handler = new IdempotentConsumer.BatchHandler<>() {
        @Override
        public Uni<Set<UUID>> prepare(SqlConnection tx, List<EventEnvelope> events) {
            List<VerificationReceived> received = events.stream().map(EventEnvelope::payload)
                    .filter(VerificationReceived.class::isInstance).map(VerificationReceived.class::cast).toList();
            return inventory.completeAll(tx, received.stream().map(VerificationReceived::verificationId).toList(),
                    received.stream().map(VerificationReceived::receivedAt).toList());
        }

        @Override
        public Uni<Void> apply(SqlConnection tx, EventEnvelope event, Set<UUID> completed) {
            if (event.payload() instanceof VerificationReceived received
                    && completed.contains(received.verificationId())) {
                return Uni.createFrom().voidItem();
            }
            return PurchaseOutcomeConsumer.this.apply(tx, event);
        }
    };

    @Incoming("purchase-outcomes")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return consumer.consumeBatch(CONSUMER, TYPES, batch, handler);
    }

    Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        Object payload = event.payload();
        if (payload instanceof VerificationReceived received) {
            return inventory.complete(tx, received.verificationId(), received.receivedAt()).replaceWithVoid();
        }
        if (payload instanceof VerificationExpired expired) {
            return inventory.release(tx, expired.verificationId(), "expired", List.of())
                    .chain(ended -> health.expired(tx, ended, expired.expiredAt()));
        }
        if (payload instanceof VerificationCancelled cancelled) {
            if (cancelled.reason() == CancelReason.REPORTED) {
                return inventory.release(tx, cancelled.verificationId(), "reported", List.of())
                        .chain(ended -> health.reported(tx, ended));
            }
            return inventory.release(tx, cancelled.verificationId(), "cancelled", List.of()).replaceWithVoid();
        }
        if (payload instanceof RentalExpired expired) {
            return inventory.release(tx, expired.rentalId(), "rental_expired", expired.servicesUsed())
                    .replaceWithVoid();
        }
        if (payload instanceof RentalCancelled cancelled) {
            if (cancelled.reason() == CancelReason.REPORTED) {
                return inventory.release(tx, cancelled.rentalId(), "rental_reported", List.of())
                        .chain(ended -> health.rentalReported(tx, ended));
            }
            return inventory.release(tx, cancelled.rentalId(), "rental_cancelled", List.of()).replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }
}
