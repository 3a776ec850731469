package com.fetchsms.wallet.domain;

import java.time.Instant;
import java.util.UUID;

import com.fetchsms.common.events.KeyMode;

/** A new API key: the only answer that ever carries {@code key}. */
public record IssuedApiKey(UUID id, String name, KeyMode mode, String key, String prefix, Instant createdAt) {
}
