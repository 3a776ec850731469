package com.fetchsms.dashboard.domain;

import java.time.Instant;

/** An API key as listed (never the key itself). */
public record ApiKey(String id, String name, String mode, String prefix, Instant createdAt, Instant lastUsedAt,
        Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
