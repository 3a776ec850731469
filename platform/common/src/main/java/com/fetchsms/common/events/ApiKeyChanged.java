package com.fetchsms.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * An API key was issued or revoked. Key: {@code key_hash} (hex SHA-256 of the key); the topic is compacted, so the
 * newest event per hash is the key's state. {@code status} is {@code active} or {@code revoked}; {@code mode} is
 * {@code live} or {@code test} (a sandbox key; absent in events written before keys had a mode, read as {@code live}).
 * The key itself never travels. Consumers: every service that accepts API keys (its local key view).
 */
public record ApiKeyChanged(
        String keyHash,
        UUID keyId,
        UUID accountId,
        String prefix,
        String status,
        Instant changedAt,
        KeyMode mode) implements EventPayload {

    public static final String ACTIVE = "active";
    public static final String REVOKED = "revoked";

    public ApiKeyChanged {
        mode = mode == null ? KeyMode.LIVE : mode;
    }

    /** A live key's change. */
    public ApiKeyChanged(String keyHash, UUID keyId, UUID accountId, String prefix, String status, Instant changedAt) {
        this(keyHash, keyId, accountId, prefix, status, changedAt, KeyMode.LIVE);
    }

    @Override
    public String key() {
        return keyHash;
    }
}
