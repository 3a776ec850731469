package com.fetchsms.common.contract;

import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fetchsms.common.error.ApiException;

/**
 * What is bought, and how a catalog entry is sold: {@code short}, a verification (one code of one service inside its
 * window), or {@code long}, a rental (a number held for a term of days). The one definition every service reads: the
 * catalog's entries and quotes, the reservation contract, and the two purchase services.
 */
public enum PurchaseMode {
    SHORT,
    LONG;

    /** The JSON spellings. */
    public static final Set<String> CODES = Set.of("short", "long");

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A stored spelling; anything else is a programming error. (JSON reads the {@code @JsonValue} spelling.) */
    public static PurchaseMode of(String code) {
        return valueOf(code.trim().toUpperCase(Locale.ROOT));
    }

    /**
     * A client's {@code mode} parameter: {@code defaultMode} when absent (400 when {@code required}), 422 when it is
     * neither {@code short} nor {@code long}.
     */
    public static PurchaseMode parse(String value, boolean required, PurchaseMode defaultMode) {
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
}
