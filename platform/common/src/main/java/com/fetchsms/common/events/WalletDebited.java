package com.fetchsms.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A purchase was paid from a wallet. Key: {@code account_id}. {@code purchase_id} is the verification or rental id
 * (the debit's idempotency key). Consumers: verification, rental (reconciliation of their sagas).
 */
public record WalletDebited(
        UUID purchaseId,
        UUID accountId,
        long amountCents,
        long balanceAfterCents,
        UUID transactionId,
        String ref,
        Instant debitedAt) implements EventPayload {

    @Override
    public String key() {
        return accountId.toString();
    }
}
