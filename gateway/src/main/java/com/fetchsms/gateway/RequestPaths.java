package com.fetchsms.gateway;

import java.util.Locale;

/**
 * Which raw request paths the gateway agrees to forward. The route is chosen on the raw path and the raw path is
 * forwarded unchanged, so the gateway must refuse anything an upstream could resolve to a different path than the
 * gateway matched: dot segments ({@code /v1/services/../../internal/x}) and encoded or alternative separators
 * ({@code %2F}, {@code %5C}, {@code \}, and {@code %2E} that could form a dot segment once decoded).
 */
public final class RequestPaths {

    private RequestPaths() {
    }

    public static boolean isSafe(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return false;
        }
        if (rawPath.indexOf('\\') >= 0) {
            return false;
        }
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%2e") || lower.contains("%00")) {
            return false;
        }
        for (String segment : rawPath.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
