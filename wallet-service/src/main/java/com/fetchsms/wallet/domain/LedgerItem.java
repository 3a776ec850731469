package com.fetchsms.wallet.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One line of a customer's ledger: the transaction ({@code id}), its type, the signed amount from the customer's view,
 * the balance right after it and the reference the customer recognises (purchase ref, deposit id).
 */
public record LedgerItem(UUID id, String type, long amountCents, long balanceAfterCents, String ref,
        Instant createdAt) {

    public static final String DEPOSIT = "deposit";
    public static final String DEBIT = "debit";
    public static final String REFUND = "refund";
    public static final String ADJUSTMENT = "adjustment";
    /** Test money credited to a sandbox wallet (its starting balance, a top-up). */
    public static final String TOP_UP = "top_up";
}
