package com.fetchsms.common.contract;

import java.time.Instant;
import java.util.UUID;

/** A purchase paid from a wallet; {@code purchase_id} (the verification or rental id) is its idempotency key. */
public record Debit(UUID purchaseId, UUID accountId, long amountCents, long balanceAfterCents, UUID transactionId,
        String ref, Instant createdAt) {
}
