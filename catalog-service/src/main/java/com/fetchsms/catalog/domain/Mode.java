package com.fetchsms.catalog.domain;

import java.util.Locale;
import java.util.Set;

import com.fetchsms.common.error.ApiException;

/** What is bought: {@code short} (a verification) or {@code long} (a rental). */
public enum Mode {
    SHORT,
    LONG;

    public static final Set<String> CODES = Set.of("short", "long");

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Mode parse(String value, boolean required, Mode defaultMode) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw ApiException.badRequest("'mode' is required: short or long");
            }
            return defaultMode;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "short" -> SHORT;
            case "long" -> LONG;
            default -> throw ApiException.unprocessable("'mode' must be short or long");
        };
    }

    public Product product() {
        return this == SHORT ? Product.SHORT : Product.LONG;
    }
}
