package com.fetchsms.common.security;

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
}
