package com.fetchsms.webhook.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * The answer of {@code POST /v1/webhooks/{id}/rotate-secret}: the new secret (shown only here) and when the previous
 * one stops signing.
 */
public record RotatedSecret(UUID id, String secret, Instant previousSecretExpiresAt) {
}
