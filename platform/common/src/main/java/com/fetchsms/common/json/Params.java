package com.fetchsms.common.json;

import java.util.Locale;
import java.util.Set;

import com.fetchsms.common.error.ApiException;

/**
 * Parses query parameters by hand so a bad value is a clear 4xx with a detail (JAX-RS would answer 404 for a query
 * parameter it cannot convert).
 */
public final class Params {

    private Params() {
    }

    public static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("Query parameter '" + name + "' is required");
        }
        return value.trim();
    }

    public static Integer optionalInt(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.unprocessable("Query parameter '" + name + "' must be an integer");
        }
    }

    public static int intInRange(String value, String name, int defaultValue, int min, int max) {
        Integer parsed = optionalInt(value, name);
        if (parsed == null) {
            return defaultValue;
        }
        if (parsed < min || parsed > max) {
            throw ApiException.unprocessable(
                    "Query parameter '" + name + "' must be between " + min + " and " + max);
        }
        return parsed;
    }

    public static boolean optionalBoolean(String value, String name, boolean defaultValue) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ApiException.unprocessable("Query parameter '" + name + "' must be true or false");
        };
    }

    /** One of {@code allowed} (case-insensitive), or {@code defaultValue} when absent. */
    public static String oneOf(String value, String name, String defaultValue, Set<String> allowed) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        String normalized = value.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(normalized)) {
            throw ApiException.unprocessable("Query parameter '" + name + "' must be one of "
                    + String.join(", ", allowed.stream().sorted().toList()));
        }
        return normalized;
    }
}
