package com.fetchsms.common.contract;

import java.util.UUID;

import com.fetchsms.common.validation.TypeHint;

/**
 * {@code POST /internal/debits} (wallet-service), step 4 of the purchase saga: pay {@code amount_cents} for a purchase
 * from the account's wallet. Idempotent on {@code purchase_id} (the verification or rental id); {@code ref} is the
 * purchase's public reference, shown in the ledger. wallet-service checks each field (the messages name them).
 */
public record DebitRequest(UUID purchaseId, UUID accountId,
        @TypeHint(TypeHint.CENTS) Long amountCents,
        String ref) {
}
