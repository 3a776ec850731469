package com.fetchsms.webhook.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** webhook-service settings ({@code fetchsms.webhook.*}). */
@ConfigMapping(prefix = "fetchsms.webhook")
public interface WebhookConfig {

    /** Base64 of a 32-byte AES key encrypting endpoint secrets at rest ({@code FETCHSMS_WEBHOOK_SECRET_KEY}). */
    String secretKey();

    /** Endpoints per account; one more is a 422. */
    @WithDefault("10")
    int maxEndpointsPerAccount();

    /** Accept {@code http://} endpoint URLs (local and test setups only); otherwise https is required. */
    @WithDefault("false")
    boolean allowHttp();

    /**
     * Hosts exempt from the private-address guard, matched literally against the URL's host, case-insensitively and
     * without a trailing dot (so a name or another spelling that merely resolves to an allowlisted address is still
     * refused). Empty in production. Even an allowlisted host is never reached on a {@link #platformPorts() platform
     * port} nor on {@code /internal…} or {@code /q/…}.
     */
    Optional<List<String>> allowedHosts();

    /**
     * The platform's own ports (gateway, services, Kafka), which a webhook to an allowlisted host never reaches. Set in
     * application.properties to the local stack's defaults; deploy/local/up passes its actual ports.
     */
    Set<Integer> platformPorts();

    /** After a secret rotation the previous secret keeps signing (a second signature) for this long. */
    @WithDefault("24h")
    Duration rotationOverlap();

    /** Timeout of one delivery attempt. */
    @WithDefault("10s")
    Duration timeout();

    /** Delays before the 2nd, 3rd, … attempt; after the last one fails the delivery is {@code failed}. */
    @WithDefault("5s,5m,30m,2h,5h,10h,14h,20h,24h")
    List<Duration> retrySchedule();

    /** Random spread of each retry delay, as a fraction (0.1 = ±10%). */
    @WithDefault("0.1")
    double jitter();

    /** Longest {@code Retry-After} honoured (a larger one is capped). */
    @WithDefault("24h")
    Duration maxRetryAfter();

    /** How often the dispatcher looks for due deliveries (read by its {@code @Scheduled}). */
    @WithDefault("1s")
    Duration dispatchInterval();

    /** Attempts in flight per replica. */
    @WithDefault("64")
    int maxInFlight();

    /** Attempts in flight per endpoint, so a slow endpoint does not hold back the others. */
    @WithDefault("4")
    int perEndpointConcurrency();

    /** A claimed delivery is leased for the attempt timeout plus this margin; then another replica may take it. */
    @WithDefault("30s")
    Duration leaseMargin();

    /** Largest page of {@code GET /v1/webhooks/{id}/deliveries}. */
    @WithDefault("100")
    int deliveriesPageSize();

    /** The customer's manual sends: the test and retry routes. */
    ManualSends manualSends();

    /** Per-account budgets of the routes that make the platform send on demand, each refilling over the window. */
    interface ManualSends {
        /** The time in which a budget refills completely. */
        @WithDefault("1m")
        Duration window();

        /** {@code POST /v1/webhooks/{id}/test} per account per window. */
        @WithDefault("10")
        int testsPerAccount();

        /** {@code POST /v1/webhooks/deliveries/{id}/retry} per account per window. */
        @WithDefault("30")
        int retriesPerAccount();

        /** Accounts tracked in memory (least recently used dropped beyond). */
        @WithDefault("100000")
        long maxTracked();
    }
}
