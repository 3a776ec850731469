package com.fetchsms.wallet.domain;

import java.time.Instant;
import java.util.UUID;

/** An administrator's correction of a wallet: the ledger entry it booked. */
public record Adjustment(UUID id, UUID accountId, String type, long amountCents, long balanceAfterCents, String ref,
        String reason, Instant createdAt) {
}
