package com.fetchsms.verification.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.verification.config.VerificationConfig;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Finishes or compensates purchases left {@code pending} by a crash or an unreachable service: each stale row is
 * leased for a minute (so replicas split the work) and its saga run again ({@link VerificationSaga#recoverStale}). Every
 * step is idempotent on the verification id, so a debit that already happened is found, not repeated; a refusal
 * releases the number.
 */
@ApplicationScoped
public class RecoveryJob {

    private static final Logger LOG = Logger.getLogger(RecoveryJob.class);

    private final VerificationSaga saga;
    private final VerificationConfig config;

    public RecoveryJob(VerificationSaga saga, VerificationConfig config) {
        this.saga = saga;
        this.config = config;
    }

    @Scheduled(every = "${fetchsms.verification.recovery-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return saga.recoverStale(config.recoverAfter(), 20).onFailure().recoverWithItem(failure -> {
            LOG.warnf("Recovery pass failed, next pass retries: %s", failure.getMessage());
            return 0;
        }).replaceWithVoid();
    }
}
