package com.fetchsms.dashboard.domain;

/** The balance ({@code GET /v1/wallet}). */
public record Wallet(long balanceCents, String currency) {
}
