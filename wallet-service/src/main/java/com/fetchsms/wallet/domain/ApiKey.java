package com.fetchsms.wallet.domain;

import java.time.Instant;
import java.util.UUID;

import com.fetchsms.common.events.KeyMode;

/**
 * An API key as listed: never the key itself, only its shown prefix. {@code mode}: {@code live}, or {@code test} for a
 * key of the customer's sandbox.
 */
public record ApiKey(UUID id, String name, KeyMode mode, String prefix, Instant createdAt, Instant lastUsedAt,
        Instant revokedAt) {
}
