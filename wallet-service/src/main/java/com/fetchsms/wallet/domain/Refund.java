package com.fetchsms.wallet.domain;

import java.time.Instant;
import java.util.UUID;

/** The one refund of a debit. */
public record Refund(UUID purchaseId, UUID accountId, long amountCents, long balanceAfterCents, UUID transactionId,
        String reason, Instant refundedAt) {
}
