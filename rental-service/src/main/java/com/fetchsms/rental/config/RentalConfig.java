package com.fetchsms.rental.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** rental-service settings ({@code fetchsms.rental.*}). */
@ConfigMapping(prefix = "fetchsms.rental")
public interface RentalConfig {

    /**
     * The length of one day of a term: {@code expires_at = created_at + days × day-length}. 24 hours in production;
     * tests shorten it to watch terms end in seconds.
     */
    @WithDefault("24h")
    Duration dayLength();

    /**
     * An SMS the carrier received before {@code expires_at} is still stored (and a code still counts) if it is
     * processed within this grace; the expiry job waits for it before ending the term (decision 0011).
     */
    @WithDefault("10s")
    Duration expiryGrace();

    /**
     * Tolerated clock difference between the carriers' gateways and the database: an SMS received this long before a
     * rental was created still counts for it (a rented number is pristine: nobody held it before).
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

    /** Largest page of {@code GET /v1/rentals} and {@code GET /v1/rentals/{id}/messages}. */
    @WithDefault("200")
    int maxPageSize();
}
