package com.fetchsms.verification.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.common.events.VerificationExpired;
import com.fetchsms.common.messaging.ArrivalWatermarks;
import com.fetchsms.common.outbox.Outbox;
import com.fetchsms.common.purchase.ExpiryPass;
import com.fetchsms.verification.config.VerificationConfig;
import com.fetchsms.verification.messaging.SmsInboundConsumer;
import com.fetchsms.verification.repository.VerificationRepository;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Closes the windows that have passed: {@code waiting} → {@code expired} with a {@code verification.expired} event
 * (the wallet refunds, the catalog releases the number), in one transaction per batch. Rows are taken with
 * {@code FOR UPDATE SKIP LOCKED} and changed only while still waiting, so replicas never expire one twice.
 */
@ApplicationScoped
public class ExpiryJob {

    private static final Logger LOG = Logger.getLogger(ExpiryJob.class);
    private static final int BATCH = 200;

    private final Pool pool;
    private final VerificationRepository verifications;
    private final Outbox outbox;
    private final VerificationConfig config;
    private final ArrivalWatermarks watermarks;

    public ExpiryJob(Pool pool, VerificationRepository verifications, Outbox outbox, VerificationConfig config,
            ArrivalWatermarks watermarks) {
        this.pool = pool;
        this.watermarks = watermarks;
        this.verifications = verifications;
        this.outbox = outbox;
        this.config = config;
    }

    @Scheduled(every = "${fetchsms.verification.expiry-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return ExpiryPass.logged(expireBatch(), LOG);
    }

    /** Expires one batch; answers how many. */
    public Uni<Integer> expireBatch() {
        return ExpiryPass.run(pool, outbox, watermarks, SmsInboundConsumer.CONSUMER,
                (tx, arrivedUntil) -> verifications.expireDue(tx, config.expiryGrace(), arrivedUntil, BATCH),
                v -> new VerificationExpired(v.id(), v.accountId(), v.ref(),
                        v.serviceId(), v.service(), v.number(), v.costCents(), Instant.now()));
    }
}
