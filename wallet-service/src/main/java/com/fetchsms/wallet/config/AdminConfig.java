package com.fetchsms.wallet.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The first administrator ({@code FETCHSMS_ADMIN_EMAIL}, {@code FETCHSMS_ADMIN_PASSWORD}), created at start when
 * absent. No default outside the dev and test profiles; a well-known or weak password refuses to start unless
 * {@link #allowInsecurePassword()}.
 */
@ConfigMapping(prefix = "fetchsms.admin")
public interface AdminConfig {

    Optional<String> email();

    Optional<String> password();

    /**
     * Local development only ({@code FETCHSMS_ADMIN_ALLOW_INSECURE_PASSWORD}): start even though the configured
     * password is a well-known default or fails the password rules. Otherwise such a password stops the service at
     * start. True in the dev and test profiles and on the local stack.
     */
    @WithDefault("false")
    boolean allowInsecurePassword();
}
