package com.fetchsms.dashboard.domain;

import java.time.Instant;

/** An account as the administrators' search shows it, with its balance. */
public record AdminAccount(String id, String email, String role, Instant createdAt, long balanceCents) {
}
