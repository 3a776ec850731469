package com.fetchsms.common.client;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the other services are and how they are called, for internal REST calls ({@code fetchsms.services.*}), and the
 * platform's service credential that every internal call presents and every {@code /internal/…} route requires
 * ({@link com.fetchsms.common.security.InternalRouteGuard}).
 */
@ConfigMapping(prefix = "fetchsms.services")
public interface ServicesConfig {

    /** catalog-service (reservations). */
    @WithDefault("${FETCHSMS_CATALOG_URL:http://127.0.0.1:8081}")
    String catalogUrl();

    /** wallet-service (debits, API-key introspection and usage). */
    @WithDefault("${FETCHSMS_WALLET_URL:http://127.0.0.1:8082}")
    String walletUrl();

    /**
     * The platform's service credential ({@code FETCHSMS_SERVICES_CREDENTIAL}): a random secret of at least 32
     * characters shared by the services of one platform, sent in the {@code FetchSMS-Service-Credential} header of
     * every internal call and required by every {@code /internal/…} route. No default: a service without one does not
     * start (the dev and test profiles have a fixed test value).
     */
    String credential();

    /**
     * Credentials still accepted (never sent) while a new {@link #credential()} is rolled out
     * ({@code FETCHSMS_SERVICES_PREVIOUS_CREDENTIALS}, comma-separated); empty otherwise.
     */
    Optional<List<String>> previousCredentials();

    /** Timeout of one internal call; past it the outcome is unknown and the caller's recovery takes over. */
    @WithDefault("3s")
    Duration callTimeout();

    /**
     * Connections this service keeps to each of catalog-service and wallet-service (the HTTP client's default is 5,
     * which queues calls under load; size it for the concurrent purchases of one replica).
     */
    @WithDefault("32")
    int maxPoolSize();

    /** Keep connections open between calls instead of connecting for each one. */
    @WithDefault("true")
    boolean keepAlive();

    /** How long an idle kept-alive connection stays open; below the servers' idle timeout (30 min). */
    @WithDefault("60s")
    Duration keepAliveTimeout();

    /**
     * HTTP/1.1 pipelining: several calls in flight on one connection. Safe for these calls (every one is idempotent on
     * the purchase id, so one lost with its connection is recovered like a timeout), but off by default: a slow answer
     * holds up the calls queued behind it, while a pool of {@code max-pool-size} connections needs no pipelining.
     */
    @WithDefault("false")
    boolean pipelining();
}
