package com.fetchsms.webhook.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A due delivery leased by this replica's dispatcher; {@code leaseToken} guards the write of its outcome.
 * {@code previousSecretCiphertext} is set while a rotated-out secret still signs.
 */
public record ClaimedDelivery(UUID id, UUID endpointId, String event, String payload, int attempts,
        Instant createdAt, String url, byte[] secretCiphertext, byte[] previousSecretCiphertext, UUID leaseToken) {
}
