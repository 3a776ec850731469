package com.fetchsms.common.events;

import java.time.Instant;
import java.util.UUID;

/** A rental was cancelled before any code arrived. Key: {@code rental_id}. Consumers: wallet (refund), catalog. */
public record RentalCancelled(
        UUID rentalId,
        UUID accountId,
        String ref,
        String number,
        long costCents,
        Instant cancelledAt) implements EventPayload {

    @Override
    public String key() {
        return rentalId.toString();
    }
}
