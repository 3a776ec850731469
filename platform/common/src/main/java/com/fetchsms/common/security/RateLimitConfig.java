package com.fetchsms.common.security;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The per-credential request rate limit ({@code fetchsms.rate-limit.*}). */
@ConfigMapping(prefix = "fetchsms.rate-limit")
public interface RateLimitConfig {

    /**
     * Requests per second per credential, for the whole service (100 in the API reference): every replica takes from
     * the same bucket in the service's database ({@link RateLimiter}), so the limit holds whatever the replica count.
     */
    @WithDefault("100")
    int requestsPerSecond();

    /**
     * How long a replica may hold requests it took from a busy credential's bucket ahead of use (decision 0034): a
     * lease of at most this much of the limit's rate (100 ms: 10 requests at 100 a second), taken with one statement
     * and spent within this time or dropped. It never lets more through than the bucket allows; it may let through up
     * to this much of the rate less when a credential turns busy. {@code 0}: every request takes its own token with
     * its own statement (decision 0030).
     */
    @WithDefault("100ms")
    Duration lease();
}
