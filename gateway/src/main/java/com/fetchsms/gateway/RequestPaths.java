package com.fetchsms.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the gateway reads a request path before it routes: it decides on the normalised path and forwards exactly that
 * path, so the service sees what the gateway matched.
 *
 * <p>
 * {@link #normalise}: percent-encoded unreserved characters (letters, digits, {@code -_~}) are decoded, empty
 * segments ({@code //}) dropped and dot segments resolved (RFC 3986 remove_dot_segments). Encodings that servers read
 * differently are refused: {@code %2F} and {@code %5C} (a separator or not?), {@code %2E} (a dot segment or not?),
 * {@code %00} and other control characters, a backslash, malformed escapes, a dot segment with parameters
 * ({@code ..;x}), and anything that is not an absolute path. {@link #isPlatformOnly} tells the paths under
 * {@code /q} and {@code /internal}, which a path may not reach through normalisation.
 */
public final class RequestPaths {

    /** The path to route and forward, or (path null) why the request is refused with 400. */
    public record Normalised(String path, String refusal) {
        static Normalised refused(String why) {
            return new Normalised(null, why);
        }
    }

    private RequestPaths() {
    }

    /** Normalises a raw request path (without query); see the class comment. */
    public static Normalised normalise(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return Normalised.refused("not an absolute path");
        }
        StringBuilder decoded = new StringBuilder(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '\\') {
                return Normalised.refused("a backslash");
            }
            if (c < 0x21 || c >= 0x7f) {
                return Normalised.refused("a control, space or non-ASCII character");
            }
            if (c != '%') {
                decoded.append(c);
                continue;
            }
            if (i + 2 >= rawPath.length() || Character.digit(rawPath.charAt(i + 1), 16) < 0
                    || Character.digit(rawPath.charAt(i + 2), 16) < 0) {
                return Normalised.refused("a malformed percent-encoding");
            }
            int value = Integer.parseInt(rawPath.substring(i + 1, i + 3), 16);
            if (value == '.' || value == '/' || value == '\\' || value < 0x20 || value == 0x7f) {
                return Normalised.refused("an ambiguous percent-encoding (" + rawPath.substring(i, i + 3) + ")");
            }
            if ((value >= 'a' && value <= 'z') || (value >= 'A' && value <= 'Z') || (value >= '0' && value <= '9')
                    || value == '-' || value == '_' || value == '~') {
                decoded.append((char) value);
            } else {
                decoded.append(rawPath, i, i + 3);
            }
            i += 2;
        }
        String[] segments = decoded.substring(1).split("/", -1);
        List<String> output = new ArrayList<>();
        boolean trailingSlash = false;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            int parameters = segment.indexOf(';');
            String name = parameters >= 0 ? segment.substring(0, parameters) : segment;
            if (parameters >= 0 && (name.equals(".") || name.equals(".."))) {
                return Normalised.refused("a dot segment with parameters");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                trailingSlash = last;
            } else if (segment.equals("..")) {
                if (!output.isEmpty()) {
                    output.remove(output.size() - 1);
                }
                trailingSlash = last;
            } else {
                output.add(segment);
                trailingSlash = false;
            }
        }
        String path = "/" + String.join("/", output) + (trailingSlash && !output.isEmpty() ? "/" : "");
        return new Normalised(path, null);
    }

    /** Whether a (normalised) path is under {@code /q} or {@code /internal}, which only a literal request reaches. */
    public static boolean isPlatformOnly(String path) {
        return RouteTable.matches("/q", path) || RouteTable.matches("/internal", path);
    }

    /**
     * Whether a path is already in the form the gateway forwards: no dot segments and no encoded or alternative
     * separators ({@code %2F}, {@code %5C}, {@code \}, and {@code %2E} that could form a dot segment once decoded).
     * Checked again just before routing, after {@link #normalise}.
     */
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
