package com.fetchsms.wallet.messaging;

import java.util.Comparator;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fetchsms.common.events.CancelReason;
import com.fetchsms.common.events.EventType;
import com.fetchsms.common.events.RentalCancelled;
import com.fetchsms.common.events.RentalExpired;
import com.fetchsms.common.events.VerificationCancelled;
import com.fetchsms.common.events.VerificationExpired;
import com.fetchsms.common.messaging.EventEnvelope;
import com.fetchsms.common.messaging.IdempotentConsumer;
import com.fetchsms.wallet.service.WalletService;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Refunds purchases that ended without a code: an expired or cancelled verification, a cancelled rental (cancelled by
 * the buyer, or reported as not working: the same refund, its reason {@code …_reported}), a rental that expired
 * without ever receiving a code. Each event is applied once (processed_event), and each debit is refunded once
 * whatever events name it (the debit row), so duplicates, redeliveries and two different outcome events of one
 * purchase give one refund.
 */
@ApplicationScoped
public class RefundConsumer {

    static final String CONSUMER = "wallet-service.refunds";
    static final Set<EventType> TYPES = Set.of(EventType.VERIFICATION_EXPIRED, EventType.VERIFICATION_CANCELLED,
            EventType.RENTAL_CANCELLED, EventType.RENTAL_EXPIRED);

    private final IdempotentConsumer consumer;
    private final WalletService wallets;

    public RefundConsumer(IdempotentConsumer consumer, WalletService wallets) {
        this.consumer = consumer;
        this.wallets = wallets;
    }

    /**
     * Refunds of different purchases lock their account's balance row: each batch takes them in account order, so the
     * batches of two partitions refunding the same accounts never deadlock.
     */
    static final Comparator<EventEnvelope> BY_ACCOUNT = Comparator.comparing(RefundConsumer::accountOf,
            Comparator.nullsLast(Comparator.naturalOrder()));

    @Incoming("purchase-refunds")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return consumer.consumeBatch(CONSUMER, TYPES, batch, this::apply, BY_ACCOUNT);
    }

    static UUID accountOf(EventEnvelope event) {
        Object payload = event.payload();
        if (payload instanceof VerificationExpired e) {
            return e.accountId();
        }
        if (payload instanceof VerificationCancelled e) {
            return e.accountId();
        }
        if (payload instanceof RentalCancelled e) {
            return e.accountId();
        }
        if (payload instanceof RentalExpired e) {
            return e.accountId();
        }
        return null;
    }

    Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        Object payload = event.payload();
        if (payload instanceof VerificationExpired expired) {
            return refund(tx, expired.verificationId(), "verification_expired");
        }
        if (payload instanceof VerificationCancelled cancelled) {
            return refund(tx, cancelled.verificationId(), cancelled.reason() == CancelReason.REPORTED
                    ? "verification_reported"
                    : "verification_cancelled");
        }
        if (payload instanceof RentalCancelled cancelled) {
            return refund(tx, cancelled.rentalId(), cancelled.reason() == CancelReason.REPORTED
                    ? "rental_reported"
                    : "rental_cancelled");
        }
        if (payload instanceof RentalExpired expired && !expired.codeReceived()) {
            return refund(tx, expired.rentalId(), "rental_expired_without_code");
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> refund(SqlConnection tx, UUID purchaseId, String reason) {
        return wallets.refund(tx, purchaseId, reason).replaceWithVoid();
    }
}
