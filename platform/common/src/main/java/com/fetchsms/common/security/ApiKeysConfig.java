package com.fetchsms.common.security;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** API-key authentication in a service that accepts keys ({@code fetchsms.api-keys.*}). */
@ConfigMapping(prefix = "fetchsms.api-keys")
public interface ApiKeysConfig {

    /**
     * Accept API keys here (verification, rental, and wallet-service for its sandbox routes). Off elsewhere: then an API
     * key is simply not a session.
     */
    @WithDefault("false")
    boolean enabled();

    /**
     * Learn keys from the {@code api-key.changed} topic (the credential view, {@link ApiKeyView}). Off only in
     * wallet-service, which owns the keys and looks them up in its own database ({@link ApiKeyLookup}).
     */
    @WithDefault("true")
    boolean view();

    /** How long an unknown key is remembered as unknown (protects wallet-service from floods of bad keys). */
    @WithDefault("5s")
    Duration negativeCacheTtl();

    /**
     * At most this many unknown keys are remembered (least recently used are forgotten first), so presenting random
     * {@code fsk_…} keys costs bounded memory (about 200 bytes each).
     */
    @WithDefault("10000")
    int unknownKeysMax();

    /**
     * How long the view may go without confirming it has read its topic to the end before it is no longer trusted
     * alone: past it every key is checked at wallet-service (and refused with 503 when that cannot be done), so a
     * revocation the view could not hear (broker down, consumer stuck) is honoured within this bound.
     */
    @WithDefault("10s")
    Duration maxStaleness();

    /** How often the last use of keys is reported to wallet-service (one request per period, not per call). */
    @WithDefault("30s")
    Duration usageFlushInterval();

    @WithDefault("2s")
    Duration introspectionTimeout();
}
