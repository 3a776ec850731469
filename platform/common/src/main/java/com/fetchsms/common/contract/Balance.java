package com.fetchsms.common.contract;

import java.util.UUID;

/** An account's wallet balance, as wallet-service answers {@code GET /internal/wallets/{account_id}}. */
public record Balance(UUID accountId, long balanceCents, String currency) {
}
