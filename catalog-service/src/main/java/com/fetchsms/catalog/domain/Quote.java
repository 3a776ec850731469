package com.fetchsms.catalog.domain;

/** A price, itemised exactly as {@code GET /v1/services/quote} shows it. */
public record Quote(
        String service,
        String mode,
        Integer days,
        int baseDailyCents,
        int discountPct,
        Integer perDayCents,
        int surchargeCents,
        int totalCents) {
}
