package com.fetchsms.rental.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.rental.config.RentalConfig;
import com.fetchsms.rental.domain.Rental;
import com.fetchsms.rental.repository.RentalRepository;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Finishes or compensates purchases left {@code pending} by a crash or an unreachable service: each stale row is
 * leased for a minute (so replicas split the work) and its saga run again. Every step is idempotent on the rental
 * id, so a debit that already happened is found, not repeated; a refusal releases the number.
 */
@ApplicationScoped
public class RecoveryJob {

    private static final Logger LOG = Logger.getLogger(RecoveryJob.class);

    private final Pool pool;
    private final RentalRepository rentals;
    private final PurchaseSaga saga;
    private final RentalConfig config;

    public RecoveryJob(Pool pool, RentalRepository rentals, PurchaseSaga saga, RentalConfig config) {
        this.pool = pool;
        this.rentals = rentals;
        this.saga = saga;
        this.config = config;
    }

    @Scheduled(every = "${fetchsms.rental.recovery-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return recoverBatch().onFailure().recoverWithItem(failure -> {
            LOG.warnf("Recovery pass failed, next pass retries: %s", failure.getMessage());
            return 0;
        }).replaceWithVoid();
    }

    /** One pass; answers how many purchases reached a final state. */
    public Uni<Integer> recoverBatch() {
        return pool.withTransaction(tx -> rentals.leaseStalePending(tx, config.recoverAfter(), 20))
                .chain(stale -> {
                    if (stale.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    List<Uni<Boolean>> runs = stale.stream().map(this::recover).toList();
                    return Uni.join().all(runs).andCollectFailures()
                            .map(done -> (int) done.stream().filter(Boolean::booleanValue).count());
                });
    }

    private Uni<Boolean> recover(Rental pending) {
        return saga.run(pending).map(r -> {
            LOG.infof("Recovered rental %s: %s", pending.id(), r.status());
            return true;
        }).onFailure(ApiException.class).recoverWithItem(refused -> {
            LOG.infof("Recovered rental %s: refused (%s)", pending.id(), refused.getMessage());
            return true;
        }).onFailure().recoverWithItem(unavailable -> {
            LOG.warnf("Rental %s still pending: %s", pending.id(), unavailable.getMessage());
            return false;
        });
    }
}
