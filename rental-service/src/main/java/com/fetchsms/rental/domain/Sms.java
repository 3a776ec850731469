package com.fetchsms.rental.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * An SMS stored on a rental: its body, sender, the code sms-ingest extracted and the service it detected (either may
 * be {@code null}). {@code id} is sms-ingest's message id.
 */
public record Sms(
        UUID id,
        UUID rentalId,
        String sender,
        String body,
        String code,
        String detectedService,
        Instant receivedAt) {
}
