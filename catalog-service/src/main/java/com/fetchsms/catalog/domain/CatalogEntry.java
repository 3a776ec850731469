package com.fetchsms.catalog.domain;

/**
 * One entry of the catalog: a short-term verification service (WhatsApp, Telegram, …) or the Unlimited long-term
 * product (id 1), whose {@code priceCents} is the long-term base daily rate.
 */
public record CatalogEntry(int id, String slug, String name, int priceCents, Product product, int displayOrder,
        boolean active) {

    public boolean isLongTerm() {
        return product == Product.LONG;
    }
}
