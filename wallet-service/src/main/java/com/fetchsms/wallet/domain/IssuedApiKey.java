package com.fetchsms.wallet.domain;

import java.time.Instant;
import java.util.UUID;

/** A new API key: the only answer that ever carries {@code key}. */
public record IssuedApiKey(UUID id, String name, String key, String prefix, Instant createdAt) {
}
