package com.fetchsms.common.events;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Dashboard sessions were signed out: one session ({@code session_id}, the token's {@code jti}) or, when
 * {@code session_id} is null, every session of the account issued at or before {@code issued_before_ms} (epoch
 * milliseconds: payload instants have whole seconds, and a login later in the same second is a new session;
 * {@code issued_before} shows it to people). Travels on the
 * compacted {@code api-key.changed} topic next to key changes, so the one credential view of every service hears
 * both. Key: {@code session:<session id>}, or {@code account-sessions:<account id>} for all of an account's (the newest
 * per account has the latest cut-off, which covers the earlier ones). {@code expires_at}: when the revocation no
 * longer matters (every token it covers has expired); consumers may forget it then.
 */
public record SessionRevoked(
        UUID accountId,
        UUID sessionId,
        Instant issuedBefore,
        Long issuedBeforeMs,
        Instant expiresAt,
        Instant revokedAt) implements EventPayload {

    /** Signs out one session (a token whose {@code jti} is {@code sessionId}). */
    public static SessionRevoked one(UUID accountId, UUID sessionId, Instant expiresAt, Instant now) {
        return new SessionRevoked(accountId, sessionId, null, null, expiresAt, now);
    }

    /** Signs out every session of the account issued at or before {@code now}. */
    public static SessionRevoked all(UUID accountId, Instant now, Instant expiresAt) {
        return new SessionRevoked(accountId, null, now, now.toEpochMilli(), expiresAt, now);
    }

    /** The cut-off of "every session": {@code issued_before_ms}, else {@code issued_before}; null for one session. */
    @JsonIgnore
    public Instant cutoff() {
        if (issuedBeforeMs != null) {
            return Instant.ofEpochMilli(issuedBeforeMs);
        }
        return issuedBefore;
    }

    @JsonIgnore
    public boolean everySession() {
        return sessionId == null;
    }

    @Override
    public String key() {
        return sessionId != null ? "session:" + sessionId : "account-sessions:" + accountId;
    }
}
