package com.fetchsms.rental.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.common.events.RentalExpired;
import com.fetchsms.common.messaging.ArrivalWatermarks;
import com.fetchsms.common.outbox.Outbox;
import com.fetchsms.common.purchase.ExpiryPass;
import com.fetchsms.rental.config.RentalConfig;
import com.fetchsms.rental.messaging.SmsInboundConsumer;
import com.fetchsms.rental.repository.RentalRepository;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Ends the terms that have passed: {@code waiting}/{@code active} → {@code expired} with a {@code rental.expired}
 * event carrying whether any code ever arrived (the wallet refunds when none did) and the services detected during the
 * term (the catalog records them when it takes the number back), in one transaction per batch. Rows are taken with
 * {@code FOR UPDATE SKIP LOCKED} and changed only while still running, so replicas never expire one twice.
 */
@ApplicationScoped
public class ExpiryJob {

    private static final Logger LOG = Logger.getLogger(ExpiryJob.class);
    private static final int BATCH = 200;

    private final Pool pool;
    private final RentalRepository rentals;
    private final Outbox outbox;
    private final RentalConfig config;
    private final ArrivalWatermarks watermarks;

    public ExpiryJob(Pool pool, RentalRepository rentals, Outbox outbox, RentalConfig config,
            ArrivalWatermarks watermarks) {
        this.pool = pool;
        this.watermarks = watermarks;
        this.rentals = rentals;
        this.outbox = outbox;
        this.config = config;
    }

    @Scheduled(every = "${fetchsms.rental.expiry-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return ExpiryPass.logged(expireBatch(), LOG);
    }

    /** Expires one batch; answers how many. */
    public Uni<Integer> expireBatch() {
        return ExpiryPass.run(pool, outbox, watermarks, SmsInboundConsumer.CONSUMER,
                (tx, arrivedUntil) -> rentals.expireDue(tx, config.expiryGrace(), arrivedUntil, BATCH),
                r -> new RentalExpired(r.id(), r.accountId(), r.ref(), r.number(),
                        r.codeReceived(), r.servicesUsed(), r.costCents(), Instant.now()));
    }
}
