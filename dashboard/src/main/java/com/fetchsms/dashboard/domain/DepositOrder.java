package com.fetchsms.dashboard.domain;

/** The body of {@code POST /v1/wallet/deposits}. */
public record DepositOrder(long amountCents, String method) {
}
