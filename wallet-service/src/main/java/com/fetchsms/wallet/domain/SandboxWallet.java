package com.fetchsms.wallet.domain;

import java.util.List;

/**
 * A sandbox wallet (the test money of a customer's sandbox twin): the live wallet's {@code balance_cents} and
 * {@code currency}, and its most recent ledger items, newest first.
 */
public record SandboxWallet(long balanceCents, String currency, List<LedgerItem> entries) {
}
