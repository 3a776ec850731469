package com.fetchsms.common.purchase;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/**
 * The settings every purchase product has, under its service's prefix ({@code fetchsms.verification.*},
 * {@code fetchsms.rental.*}): each service's {@code @ConfigMapping} extends it with its own (the window, the length
 * of a day).
 */
public interface PurchaseConfig {

    /**
     * An SMS the carrier received before {@code expires_at} still counts if it is processed within this grace; the
     * expiry job waits for it before ending the purchase (decisions 0010, 0011).
     */
    @WithDefault("10s")
    Duration expiryGrace();

    /**
     * Tolerated clock difference between the carriers' gateways and the database: an SMS received this long before a
     * purchase was created still counts for it (an earlier one belongs to a previous holder of the number, if any).
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

    /** Largest page of the product's lists. */
    @WithDefault("200")
    int maxPageSize();
}
