package com.fetchsms.rental.config;

import java.time.Duration;

import com.fetchsms.common.purchase.PurchaseConfig;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * rental-service settings ({@code fetchsms.rental.*}): those of every purchase product ({@link PurchaseConfig}: expiry
 * grace, clock skew, job intervals, recovery, page size, also of a rental's messages), the length of a day and the report window.
 */
@ConfigMapping(prefix = "fetchsms.rental")
public interface RentalConfig extends PurchaseConfig {

    /**
     * The length of one day of a term: {@code expires_at = created_at + days × day-length}. 24 hours in production;
     * tests shorten it to watch terms end in seconds.
     */
    @WithDefault("24h")
    Duration dayLength();

    /**
     * How long after its purchase a rental that has received nothing may be reported as not working (cancelled and
     * refunded, decision 0021): its first hour.
     */
    @WithDefault("1h")
    Duration reportWindow();
}
