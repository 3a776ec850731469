package com.fetchsms.dashboard.domain;

import java.time.Instant;

/**
 * One service as the health page shows it, from its last scrape: whether it answered ready (from Prometheus: whether
 * every replica's scrape succeeded, {@code replicasUp} of {@code replicas}), its outbox (rows waiting for Kafka, the
 * oldest one's age, parked rows) and how many records its consumers are behind.
 */
public record ServiceStatus(String name, boolean ready, boolean scraped, double outboxPending, double outboxLagSeconds,
        double outboxParked, double consumerLag, int replicasUp, int replicas, Instant at) {

    /** A process read directly: one replica, up when it answered ready. */
    public static ServiceStatus ofProcess(String name, boolean ready, boolean scraped, double outboxPending,
            double outboxLagSeconds, double outboxParked, double consumerLag, Instant at) {
        return new ServiceStatus(name, ready, scraped, outboxPending, outboxLagSeconds, outboxParked, consumerLag,
                ready ? 1 : 0, 1, at);
    }

    /**
     * Whether anything needs an operator: not ready, parked events, or a relay minutes behind. (A process without
     * metrics, such as the gateway, is shown as such but is not a fault.)
     */
    public boolean attention() {
        return !ready || outboxParked > 0 || outboxLagSeconds > 60;
    }
}
