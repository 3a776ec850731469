package com.fetchsms.common.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The per-credential request rate limit ({@code fetchsms.rate-limit.*}). */
@ConfigMapping(prefix = "fetchsms.rate-limit")
public interface RateLimitConfig {

    /** Requests per second per credential, for the whole service (100 in the API reference). */
    @WithDefault("100")
    int requestsPerSecond();

    /**
     * Replicas sharing the limit: each replica allows {@code requests-per-second / replicas}. The gateway spreads a
     * credential's requests evenly (round robin), so the sum holds; set it to the Deployment's replica count.
     */
    @WithDefault("1")
    int replicas();
}
