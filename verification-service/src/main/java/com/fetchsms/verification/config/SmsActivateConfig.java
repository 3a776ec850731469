package com.fetchsms.verification.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** The SMS-Activate compatible API ({@code /stubs/handler_api.php}, decision 0023). */
@ConfigMapping(prefix = "fetchsms.sms-activate")
public interface SmsActivateConfig {

    /** The protocol's country id of the numbers sold (the USA); any other country has no numbers. */
    int country();

    /** How long the services, their codes, prices and stock read from catalog-service are reused. */
    Duration servicesCache();
}
