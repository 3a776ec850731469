package com.fetchsms.dashboard.domain;

import java.time.Instant;

/** A deposit: {@code pending} until the payment provider confirms it, then {@code completed} or {@code failed}. */
public record Deposit(String id, long amountCents, String method, String status, Instant createdAt,
        Instant completedAt, String checkoutUrl) {
}
