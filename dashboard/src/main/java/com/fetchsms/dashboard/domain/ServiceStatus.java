package com.fetchsms.dashboard.domain;

import java.time.Instant;

/**
 * One service as the health page shows it, from its last scrape: whether it answered ready, its outbox (rows waiting
 * for Kafka, the oldest one's age, parked rows) and how many records its consumers are behind.
 */
public record ServiceStatus(String name, boolean ready, boolean scraped, double outboxPending, double outboxLagSeconds,
        double outboxParked, double consumerLag, Instant at) {

    /**
     * Whether anything needs an operator: not ready, parked events, or a relay minutes behind. (A process without
     * metrics, such as the gateway, is shown as such but is not a fault.)
     */
    public boolean attention() {
        return !ready || outboxParked > 0 || outboxLagSeconds > 60;
    }
}
