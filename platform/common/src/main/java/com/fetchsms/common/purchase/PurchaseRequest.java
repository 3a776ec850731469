package com.fetchsms.common.purchase;

import com.fetchsms.common.ids.Hashes;

/**
 * What a buyer asked for, validated by the product's resource: the service (a numeric id or a slug), the optional area
 * code, the term in days of a rental ({@code null} for a verification) and the optional price cap
 * ({@code max_price_cents}: never pay more). A new purchase option is a field here, in {@link #hash()}, in
 * {@link PurchaseTable#insertPending} and wherever the saga uses it.
 */
public record PurchaseRequest(String serviceRef, String areaCode, Integer days, Integer maxPriceCents) {

    /** A verification's request: no term, no cap. */
    public PurchaseRequest(String serviceRef, String areaCode) {
        this(serviceRef, areaCode, null, null);
    }

    /** A request without a price cap. */
    public PurchaseRequest(String serviceRef, String areaCode, Integer days) {
        this(serviceRef, areaCode, days, null);
    }

    /**
     * SHA-256 of the request, stored with the purchase to tell an Idempotency-Key replay from a different request:
     * {@code service|area} for a verification, {@code service|days|area} for a rental (the hashes of rows stored
     * before the core was shared, so their replays still match), followed by {@code |max=<cents>} only when a price cap
     * is set (so the hashes of requests without one are unchanged).
     */
    public String hash() {
        return Hashes.sha256Hex(serviceRef + (days == null ? "" : "|" + days) + "|" + (areaCode == null ? "" : areaCode)
                + (maxPriceCents == null ? "" : "|max=" + maxPriceCents));
    }
}
