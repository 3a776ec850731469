package com.fetchsms.dashboard.domain;

import java.time.Instant;

/** A key just issued: the only answer that carries {@code key}. */
public record IssuedApiKey(String id, String name, String mode, String key, String prefix, Instant createdAt) {
}
