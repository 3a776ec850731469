package com.fetchsms.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A rental was cancelled before any code arrived, or reported as not working ({@code reason}; absent in events
 * written before it existed, read as {@code customer}). Key: {@code rental_id}. Consumers: wallet (refund), catalog,
 * webhook (the account event stream).
 */
public record RentalCancelled(
        UUID rentalId,
        UUID accountId,
        String ref,
        String number,
        long costCents,
        Instant cancelledAt,
        CancelReason reason) implements EventPayload {

    public RentalCancelled {
        reason = reason == null ? CancelReason.CUSTOMER : reason;
    }

    /** A cancellation by the renter. */
    public RentalCancelled(UUID rentalId, UUID accountId, String ref, String number, long costCents,
            Instant cancelledAt) {
        this(rentalId, accountId, ref, number, costCents, cancelledAt, CancelReason.CUSTOMER);
    }

    @Override
    public String key() {
        return rentalId.toString();
    }
}
