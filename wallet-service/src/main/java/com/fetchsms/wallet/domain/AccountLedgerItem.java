package com.fetchsms.wallet.domain;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One line of an account's ledger as an administrator sees it ({@code GET /v1/admin/accounts/{id}/ledger}): the
 * customer's {@link LedgerItem} and the reason an administrator gave with an adjustment.
 */
public record AccountLedgerItem(
        UUID id,
        String type,
        long amountCents,
        long balanceAfterCents,
        String ref,
        @Schema(description = "The reason an administrator gave with an adjustment; null for any other type", nullable = true) String reason,
        Instant createdAt) {

    /** The customer's line with the reason of its transaction ({@code null} but for an adjustment). */
    public static AccountLedgerItem of(LedgerItem item, String reason) {
        return new AccountLedgerItem(item.id(), item.type(), item.amountCents(), item.balanceAfterCents(), item.ref(),
                reason, item.createdAt());
    }
}
