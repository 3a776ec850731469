package com.fetchsms.common.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a service learns that dashboard sessions were signed out ({@code fetchsms.sessions.*}). */
@ConfigMapping(prefix = "fetchsms.sessions")
public interface SessionsConfig {

    /**
     * Refuse signed-out sessions using the credential view ({@link ApiKeyView}, fed by {@code session.revoked} events
     * on {@code api-key.changed}): on in every service that verifies session tokens, except wallet-service, which
     * issues them and reads its own database.
     */
    @WithDefault("true")
    boolean revocationView();
}
