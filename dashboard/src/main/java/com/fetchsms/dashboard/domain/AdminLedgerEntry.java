package com.fetchsms.dashboard.domain;

import java.time.Instant;

/** One movement of an account's wallet as administrators see it: with the reason of an adjustment. */
public record AdminLedgerEntry(String id, String type, long amountCents, long balanceAfterCents, String ref,
        String reason, Instant createdAt) {
}
