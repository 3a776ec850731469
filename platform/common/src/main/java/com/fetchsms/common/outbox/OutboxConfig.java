package com.fetchsms.common.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the transactional outbox relay ({@code fetchsms.outbox.*}). */
@ConfigMapping(prefix = "fetchsms.outbox")
public interface OutboxConfig {

    /** Whether this replica relays outbox rows to Kafka (one replica at a time does, chosen by an advisory lock). */
    @WithDefault("true")
    boolean relayEnabled();

    /**
     * Safety-net poll. Rows are normally relayed at once: the writing transaction sends a PostgreSQL NOTIFY that is
     * delivered on commit.
     */
    @WithDefault("1s")
    Duration pollInterval();

    /** Rows published per relay transaction. */
    @WithDefault("200")
    int batchSize();

    /**
     * How often the {@code fetchsms_outbox_pending} and {@code fetchsms_outbox_lag_seconds} gauges are refreshed from
     * the table (one reactive {@code count(*)}); the relay also zeroes them whenever it empties the table.
     */
    @WithDefault("5s")
    Duration metricsInterval();
}
