package com.fetchsms.wallet.domain;

import java.time.Instant;
import java.util.UUID;

/** An API key as listed: never the key itself, only its shown prefix. */
public record ApiKey(UUID id, String name, String prefix, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
}
