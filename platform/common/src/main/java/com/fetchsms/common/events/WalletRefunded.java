package com.fetchsms.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A debit was refunded (exactly once per debit). Key: {@code account_id}. {@code reason} names the event that caused
 * it: {@code verification_expired}, {@code verification_cancelled}, {@code rental_cancelled},
 * {@code rental_expired_without_code}. Consumers: audit, notifications.
 */
public record WalletRefunded(
        UUID purchaseId,
        UUID accountId,
        long amountCents,
        long balanceAfterCents,
        UUID transactionId,
        String reason,
        Instant refundedAt) implements EventPayload {

    @Override
    public String key() {
        return accountId.toString();
    }
}
