package com.fetchsms.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * An API key was issued or revoked. Key: {@code key_hash} (hex SHA-256 of the key); the topic is compacted, so the
 * newest event per hash is the key's state. {@code status} is {@code active} or {@code revoked}. The key itself never
 * travels. Consumers: every service that accepts API keys (its local key view).
 */
public record ApiKeyChanged(
        String keyHash,
        UUID keyId,
        UUID accountId,
        String prefix,
        String status,
        Instant changedAt) implements EventPayload {

    public static final String ACTIVE = "active";
    public static final String REVOKED = "revoked";

    @Override
    public String key() {
        return keyHash;
    }
}
