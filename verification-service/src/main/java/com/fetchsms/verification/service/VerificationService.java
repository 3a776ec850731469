package com.fetchsms.verification.service;

import jakarta.inject.Singleton;

import com.fetchsms.common.purchase.PurchasePlatform;
import com.fetchsms.common.purchase.PurchaseService;
import com.fetchsms.verification.domain.Verification;
import com.fetchsms.verification.repository.VerificationRepository;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Creating, reading, listing, cancelling, expiring and recovering verifications: the shared purchase core
 * ({@link PurchaseService}, fetchsms-common) over {@link VerificationProduct} and the {@code verification} table.
 */
@Singleton // not a normal scope: the generic superclass has no no-args constructor for a client proxy
public class VerificationService extends PurchaseService<Verification> {

    public VerificationService(PurchasePlatform platform, VerificationProduct product,
            VerificationRepository verifications) {
        super(platform, product, verifications);
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
