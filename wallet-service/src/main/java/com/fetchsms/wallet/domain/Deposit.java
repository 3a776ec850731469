package com.fetchsms.wallet.domain;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Money paid into a wallet through a payment provider: {@code pending} until the provider confirms it, then
 * {@code completed} (credited exactly once) or {@code failed}. {@code checkout_url} is where a provider that needs the
 * customer sends them (null for the sandbox).
 */
public record Deposit(UUID id, @JsonIgnore UUID accountId, long amountCents, String method, String status,
        Instant createdAt, Instant completedAt, String checkoutUrl) {

    public static final String PENDING = "pending";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
}
