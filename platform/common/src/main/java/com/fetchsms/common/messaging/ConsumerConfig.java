package com.fetchsms.common.messaging;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Retry settings of idempotent consumers ({@code fetchsms.consumer.*}). */
@ConfigMapping(prefix = "fetchsms.consumer")
public interface ConsumerConfig {

    /** Retries of a failed handler (database down, conflict) before the message is nacked to its failure strategy. */
    @WithDefault("10")
    int maxRetries();

    @WithDefault("100ms")
    Duration initialBackoff();

    @WithDefault("5s")
    Duration maxBackoff();
}
