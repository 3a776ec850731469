package com.fetchsms.catalog.domain;

import com.fetchsms.common.contract.PurchaseMode;

/**
 * One entry of the catalog: a short-term verification service (WhatsApp, Telegram, …) or the Unlimited long-term
 * product (id 1), whose {@code priceCents} is the long-term base daily rate. {@code activateCode} is its code in the
 * SMS-Activate compatible API ({@code tg}, {@code wa}, …; null where a statement did not read it).
 */
public record CatalogEntry(int id, String slug, String name, int priceCents, PurchaseMode product, int displayOrder,
        boolean active, String activateCode) {

    public CatalogEntry(int id, String slug, String name, int priceCents, PurchaseMode product, int displayOrder,
            boolean active) {
        this(id, slug, name, priceCents, product, displayOrder, active, null);
    }

    public boolean isLongTerm() {
        return product == PurchaseMode.LONG;
    }
}
