package com.fetchsms.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * An SMS arrived on a rented number (every SMS, whatever its service). Key: {@code rental_id}. Carries the full body
 * (a rental's buyer owns the number). Consumer: webhook (delivers {@code sms.received} with {@code rental_id}).
 */
public record RentalMessage(
        UUID rentalId,
        UUID accountId,
        String ref,
        String number,
        UUID messageId,
        String sender,
        String body,
        String code,
        String detectedService,
        String detectedServiceName,
        Instant receivedAt) implements EventPayload {

    @Override
    public String key() {
        return rentalId.toString();
    }
}
