package com.fetchsms.common.client;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the other services are, for internal REST calls ({@code fetchsms.services.*}). */
@ConfigMapping(prefix = "fetchsms.services")
public interface ServicesConfig {

    /** catalog-service (reservations). */
    @WithDefault("${FETCHSMS_CATALOG_URL:http://127.0.0.1:8081}")
    String catalogUrl();

    /** wallet-service (debits, API-key introspection and usage). */
    @WithDefault("${FETCHSMS_WALLET_URL:http://127.0.0.1:8082}")
    String walletUrl();

    /** Timeout of one internal call; past it the outcome is unknown and the caller's recovery takes over. */
    @WithDefault("3s")
    Duration callTimeout();
}
