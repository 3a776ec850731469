package com.fetchsms.verification.service;

import java.util.UUID;

import jakarta.inject.Singleton;

import com.fetchsms.common.error.ApiException;

import com.fetchsms.common.purchase.PurchasePlatform;
import com.fetchsms.common.purchase.PurchaseService;
import com.fetchsms.verification.domain.Verification;
import com.fetchsms.verification.repository.VerificationRepository;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Creating, reading, listing, cancelling, reporting, expiring and recovering verifications: the shared purchase core
 * ({@link PurchaseService}, fetchsms-common) over {@link VerificationProduct} and the {@code verification} table; and
 * asking for another code ({@link #anotherCode}).
 */
@Singleton // not a normal scope: the generic superclass has no no-args constructor for a client proxy
public class VerificationService extends PurchaseService<Verification> {

    private final VerificationRepository verifications;

    public VerificationService(PurchasePlatform platform, VerificationProduct product,
            VerificationRepository verifications) {
        super(platform, product, verifications);
        this.verifications = verifications;
    }

    /**
     * Asks for another code (decision 0021): the account's verification whose code arrived and whose window is open
     * then takes the next SMS of its number and service that the carrier receives after this request and before
     * {@code expires_at} ({@link VerificationRepository#receiveAll}). Nothing is charged or refunded: when the window
     * closes first the request just lapses. Asking again while waiting answers the verification unchanged; 409 while
     * it waits for its first code, once it was cancelled or expired, or when its window has closed; 404 for another
     * account's or an unknown one.
     */
    public Uni<Verification> anotherCode(UUID accountId, UUID id) {
        return pool.withTransaction(tx -> verifications.requestAnotherCode(tx, id, accountId).chain(requested -> {
            if (requested.isPresent()) {
                return Uni.createFrom().item(requested.get());
            }
            return verifications.find(tx, id).map(found -> {
                Verification v = owned(accountId, found);
                if (v.awaitingAnotherCode()) {
                    return v;
                }
                throw ApiException.conflict(anotherCodeRefusal(v));
            });
        }));
    }

    private static String anotherCodeRefusal(Verification v) {
        return switch (v.status()) {
            case Verification.WAITING -> "The verification is still waiting for its first code; another code can be "
                    + "asked for once a code has arrived";
            case Verification.RECEIVED -> "The verification's window has closed; it can receive no other code";
            case Verification.CANCELLED -> "The verification was cancelled; it can receive no code";
            default -> "The verification has expired; it can receive no code";
        };
    }

    /** Closes the windows that have passed: {@code waiting} → {@code expired} with {@code verification.expired}. */
    @Scheduled(every = "${fetchsms.verification.expiry-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> expire() {
        return expiryPass();
    }

    /** Finishes or compensates the verifications left {@code pending} by a crash or an unreachable service. */
    @Scheduled(every = "${fetchsms.verification.recovery-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> recover() {
        return recoveryPass();
    }
}
