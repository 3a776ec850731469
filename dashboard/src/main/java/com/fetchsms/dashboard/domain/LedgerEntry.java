package com.fetchsms.dashboard.domain;

import java.time.Instant;

/** One movement of the wallet ({@code GET /v1/wallet/ledger}); {@code amountCents} is signed from the customer's view. */
public record LedgerEntry(String id, String type, long amountCents, long balanceAfterCents, String ref,
        Instant createdAt) {
}
