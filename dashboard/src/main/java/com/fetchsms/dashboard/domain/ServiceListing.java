package com.fetchsms.dashboard.domain;

import java.util.Map;

/** A catalog service as {@code GET /v1/services} lists it, with live stock. */
public record ServiceListing(int id, String slug, String name, String activateCode, int priceCents,
        Map<String, Integer> longPrices, int shortAvailable, int longAvailable) {

    /** Whether this is the rental product (priced by term, not per code). */
    public boolean rental() {
        return longPrices != null && !longPrices.isEmpty();
    }
}
