package com.fetchsms.wallet.domain;

/** A customer's wallet balance. */
public record Wallet(long balanceCents, String currency) {
}
