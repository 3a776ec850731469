package com.fetchsms.catalog.domain;

import java.util.Locale;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.input.TextGuard;

/** How a caller names a service: the stable numeric id (recommended) or the slug (compatibility). */
public record ServiceRef(Integer id, String slug) {

    /** Parses a JSON value or query string: an integer, a digit string, or a slug. */
    public static ServiceRef parse(Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw ApiException.badRequest("'service' is required: a service id or slug");
        }
        if (value instanceof Integer i) {
            return new ServiceRef(i, null);
        }
        if (value instanceof Number) {
            throw ApiException.badRequest("'service' must be an integer id or a slug");
        }
        if (value instanceof String s) {
            String trimmed = TextGuard.singleLine(s.trim(), "service");
            if (trimmed.matches("\\d{1,9}")) {
                return new ServiceRef(Integer.valueOf(trimmed), null);
            }
            if (trimmed.length() > 64) {
                throw ApiException.badRequest("'service' is not a valid service reference");
            }
            return new ServiceRef(null, trimmed.toLowerCase(Locale.ROOT));
        }
        throw ApiException.badRequest("'service' must be an integer id or a slug");
    }

    @Override
    public String toString() {
        return id != null ? id.toString() : slug;
    }
}
