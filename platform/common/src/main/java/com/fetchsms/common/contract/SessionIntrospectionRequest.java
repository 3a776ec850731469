package com.fetchsms.common.contract;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fetchsms.common.json.JsonConventions;

/**
 * {@code POST /internal/sessions/introspect} (wallet-service): whether a dashboard session was signed out, asked by a
 * service's credential view while it is stale. {@code session_id} (the token's {@code jti}) and {@code issued_at} may be
 * null; {@code account_id} is required (400). {@code issued_at} travels with its full precision: a login later in the
 * second of a "sign out everywhere" is a new session.
 */
public record SessionIntrospectionRequest(UUID accountId, UUID sessionId,
        @JsonSerialize(using = JsonConventions.PreciseInstantSerializer.class) Instant issuedAt) {
}
