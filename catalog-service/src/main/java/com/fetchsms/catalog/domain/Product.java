package com.fetchsms.catalog.domain;

/** How a catalog entry is sold: a per-service short-term verification, or the single long-term rental product. */
public enum Product {
    SHORT,
    LONG;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Product of(String code) {
        return valueOf(code.toUpperCase(java.util.Locale.ROOT));
    }
}
