package com.fetchsms.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * The 15-minute window closed with no code. Key: {@code verification_id}. Consumers: wallet (refunds
 * {@code cost_cents} of the debit made with idempotency key {@code verification_id}), catalog (releases the number),
 * webhook (the account event stream).
 */
public record VerificationExpired(
        UUID verificationId,
        UUID accountId,
        String ref,
        int serviceId,
        String service,
        String number,
        long costCents,
        Instant expiredAt) implements EventPayload {

    @Override
    public String key() {
        return verificationId.toString();
    }
}
