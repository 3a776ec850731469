package com.fetchsms.ingest.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.ingest.config.IngestConfig;
import com.fetchsms.ingest.repository.MessageRepository;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Housekeeping: parts of concatenated SMS whose siblings never arrived within the reassembly timeout are removed from
 * the waiting set (their raw reports stay, marked {@code incomplete}: a partial text could yield a wrong code, so it
 * is never published); raw reports and seen gateway ids older than the retention period are purged. Batches are
 * small and locked {@code SKIP LOCKED}, so replicas can run it together.
 */
@ApplicationScoped
public class MaintenanceJob {

    private static final Logger LOG = Logger.getLogger(MaintenanceJob.class);
    private static final int BATCH = 1000;

    private final Pool pool;
    private final MessageRepository messages;
    private final IngestConfig config;

    public MaintenanceJob(Pool pool, MessageRepository messages, IngestConfig config) {
        this.pool = pool;
        this.messages = messages;
        this.config = config;
    }

    @Scheduled(every = "${fetchsms.ingest.maintenance-interval:1m}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return runOnce().onFailure().recoverWithItem(failure -> {
            LOG.warnf("Ingest maintenance failed, the next pass retries: %s", failure.getMessage());
            return null;
        });
    }

    /** One pass; answers nothing, logs what it did. */
    public Uni<Void> runOnce() {
        Instant now = Instant.now();
        return pool.withTransaction(tx -> messages.expireParts(tx, now.minus(config.reassemblyTimeout()), BATCH))
                .invoke(expired -> {
                    if (expired > 0) {
                        LOG.warnf("%d parts of concatenated SMS never got their siblings within %s: kept as"
                                + " incomplete, not published", expired, config.reassemblyTimeout());
                    }
                })
                .chain(() -> messages.purge(pool, now.minus(config.retention()), BATCH))
                .invoke(purged -> {
                    if (purged > 0) {
                        LOG.infof("Purged %d ingest records older than %s", purged, config.retention());
                    }
                }).replaceWithVoid();
    }
}
