package com.fetchsms.common.security;

import java.time.Instant;
import java.util.UUID;

import io.smallrye.mutiny.Uni;

/**
 * Whether a dashboard session was signed out. Every service asks its credential view ({@link ViewSessionRevocations});
 * wallet-service, which signs sessions out, answers from its own database.
 */
public interface SessionRevocations {

    /**
     * @param sessionId the token's {@code jti} (null for a token without one: then only "sign out everywhere" applies)
     * @param issuedAt when the token was issued (millisecond precision where the token carries it)
     * @return whether the session is signed out; fails with a 503 {@code ApiException} when that cannot be known
     */
    Uni<Boolean> revoked(UUID accountId, UUID sessionId, Instant issuedAt);
}
