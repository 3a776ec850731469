package com.fetchsms.wallet.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * The first administrator ({@code FETCHSMS_ADMIN_EMAIL}, {@code FETCHSMS_ADMIN_PASSWORD}), created at start when
 * absent. No default outside the dev and test profiles.
 */
@ConfigMapping(prefix = "fetchsms.admin")
public interface AdminConfig {

    Optional<String> email();

    Optional<String> password();
}
