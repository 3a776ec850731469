package com.fetchsms.dashboard.domain;

import java.time.Instant;

/** A new signing secret; the previous one keeps signing until {@code previousSecretExpiresAt}. */
public record RotatedSecret(String id, String secret, Instant previousSecretExpiresAt) {
}
