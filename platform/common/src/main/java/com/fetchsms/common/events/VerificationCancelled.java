package com.fetchsms.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * The buyer cancelled before any code arrived, or reported the number as not working ({@code reason}; absent in
 * events written before it existed, read as {@code customer}). Key: {@code verification_id}. Consumers: wallet
 * (refund), catalog (releases the number; a report counts against it), webhook (the account event stream).
 */
public record VerificationCancelled(
        UUID verificationId,
        UUID accountId,
        String ref,
        int serviceId,
        String service,
        String number,
        long costCents,
        Instant cancelledAt,
        CancelReason reason) implements EventPayload {

    public VerificationCancelled {
        reason = reason == null ? CancelReason.CUSTOMER : reason;
    }

    /** A cancellation by the buyer. */
    public VerificationCancelled(UUID verificationId, UUID accountId, String ref, int serviceId, String service,
            String number, long costCents, Instant cancelledAt) {
        this(verificationId, accountId, ref, serviceId, service, number, costCents, cancelledAt,
                CancelReason.CUSTOMER);
    }

    @Override
    public String key() {
        return verificationId.toString();
    }
}
