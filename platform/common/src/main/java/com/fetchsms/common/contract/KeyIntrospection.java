package com.fetchsms.common.contract;

import java.util.UUID;

import com.fetchsms.common.events.KeyMode;

/**
 * The answer to a {@link KeyIntrospectionRequest} (200; 404 when no key has that hash): the key's id, its account,
 * its displayed prefix and its {@code status}, {@code active} or {@code revoked} (the spellings of
 * {@code ApiKeyChanged.ACTIVE} and {@code REVOKED}, as on the {@code api-key.changed} topic), and its {@code mode}
 * ({@code live} when absent).
 */
public record KeyIntrospection(UUID keyId, UUID accountId, String prefix, String status, KeyMode mode) {

    public KeyIntrospection {
        mode = mode == null ? KeyMode.LIVE : mode;
    }
}
