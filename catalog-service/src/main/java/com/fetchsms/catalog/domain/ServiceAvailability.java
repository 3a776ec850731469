package com.fetchsms.catalog.domain;

import java.util.Map;

/**
 * A catalog entry with its live stock, as {@code GET /v1/services} lists it; {@code activateCode} names it in the
 * SMS-Activate compatible API.
 */
public record ServiceAvailability(
        int id,
        String slug,
        String name,
        String activateCode,
        int priceCents,
        Map<String, Integer> longPrices,
        long shortAvailable,
        long longAvailable) {
}
