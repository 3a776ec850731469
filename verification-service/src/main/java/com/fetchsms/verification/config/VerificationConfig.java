package com.fetchsms.verification.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** verification-service settings ({@code fetchsms.verification.*}). */
@ConfigMapping(prefix = "fetchsms.verification")
public interface VerificationConfig {

    /** How long a verification waits for its code (15 minutes, as documented). */
    @WithDefault("15m")
    Duration window();

    /**
     * A code received by the carrier before {@code expires_at} is still released if it is processed within this
     * grace; the expiry job waits for it before expiring (decision 0010).
     */
    @WithDefault("10s")
    Duration expiryGrace();

    /**
     * Tolerated clock difference between the carriers' gateways and the database: an SMS received this long before
     * a verification was created still counts for it; earlier ones belong to a previous buyer of the number.
     */
    @WithDefault("5s")
    Duration clockSkew();

    /** How often the expiry job runs (read by its {@code @Scheduled}). */
    @WithDefault("1s")
    Duration expiryInterval();

    /** How often the recovery job runs (read by its {@code @Scheduled}). */
    @WithDefault("10s")
    Duration recoveryInterval();

    /** A purchase still {@code pending} this long after its creation is finished or compensated by recovery. */
    @WithDefault("30s")
    Duration recoverAfter();

    /** Largest page of {@code GET /v1/verifications}. */
    @WithDefault("200")
    int maxPageSize();
}
