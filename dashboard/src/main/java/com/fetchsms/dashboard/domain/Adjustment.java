package com.fetchsms.dashboard.domain;

/** The body of {@code POST /v1/admin/accounts/{id}/credits}: a signed amount and why. */
public record Adjustment(long amountCents, String reason) {
}
