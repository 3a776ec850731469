package com.fetchsms.wallet.domain;

import java.time.Instant;
import java.util.UUID;

/** An account as administrators see it, with its wallet balance. */
public record AccountSummary(UUID id, String email, String role, Instant createdAt, long balanceCents) {
}
