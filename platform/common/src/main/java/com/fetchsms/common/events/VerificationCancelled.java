package com.fetchsms.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * The buyer cancelled before any code arrived. Key: {@code verification_id}. Consumers: wallet (refund), catalog
 * (releases the number).
 */
public record VerificationCancelled(
        UUID verificationId,
        UUID accountId,
        String ref,
        int serviceId,
        String service,
        String number,
        long costCents,
        Instant cancelledAt) implements EventPayload {

    @Override
    public String key() {
        return verificationId.toString();
    }
}
