package com.fetchsms.catalog.domain;

import com.fetchsms.common.contract.PurchaseMode;

/**
 * One entry of the catalog: a short-term verification service (WhatsApp, Telegram, …) or the Unlimited long-term
 * product (id 1), whose {@code priceCents} is the long-term base daily rate.
 */
public record CatalogEntry(int id, String slug, String name, int priceCents, PurchaseMode product, int displayOrder,
        boolean active) {

    public boolean isLongTerm() {
        return product == PurchaseMode.LONG;
    }
}
