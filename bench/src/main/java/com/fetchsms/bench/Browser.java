package com.fetchsms.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser signed in to the dashboard ({@code /app}, through the gateway) as a customer would be: it fetched the
 * sign-in form (the {@code fs_csrf} cookie and the form's {@code _csrf} token), posted it with the account's email and
 * password, and keeps the cookies the answers set ({@code fs_session}, the API session, and {@code fs_csrf}). Pages are
 * then {@code GET}s with those cookies; a redirect is not followed (a page that sends the browser to sign in again is
 * a 303, not a page).
 */
final class Browser {

    static final String SESSION_COOKIE = "fs_session";
    static final String CSRF_COOKIE = "fs_csrf";

    private static final Pattern INPUT = Pattern.compile("<input\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTRIBUTE = Pattern
            .compile("([a-zA-Z_:][-a-zA-Z0-9_:.]*)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'=<>`]+))");

    private final Api api;
    /** The cookies header the browser sends: {@code fs_session=…; fs_csrf=…}. */
    private final String cookies;

    private Browser(Api api, String cookies) {
        this.api = api;
        this.cookies = cookies;
    }

    /**
     * Signs in through the dashboard's form: {@code GET /app/signin}, then {@code POST /app/signin} ({@code _csrf},
     * {@code email}, {@code password}, {@code next}), which must answer 303 with the session cookie.
     */
    static Browser signIn(Api api, String email, String password) {
        Api.Response form = Api.join(api.page("/app/signin", null)).expect(200, "GET /app/signin");
        Map<String, String> jar = new LinkedHashMap<>();
        update(jar, form.setCookies());
        String token = hiddenField(form.body(), "_csrf");
        if (token == null) {
            throw new IllegalStateException("GET /app/signin: no hidden _csrf field in the form");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("_csrf", token);
        fields.put("email", email);
        fields.put("password", password);
        fields.put("next", "/app/");
        Api.Response signedIn = Api.join(api.form("/app/signin", cookieHeader(jar), fields));
        if (signedIn.status() != 303) {
            throw new IllegalStateException("POST /app/signin " + email + " answered " + signedIn.status()
                    + " (expected 303)");
        }
        update(jar, signedIn.setCookies());
        if (!jar.containsKey(SESSION_COOKIE)) {
            throw new IllegalStateException("POST /app/signin " + email + " answered 303 without a " + SESSION_COOKIE
                    + " cookie: " + signedIn.setCookies());
        }
        return new Browser(api, cookieHeader(jar));
    }

    /** {@code GET path} (a page of the dashboard) with this browser's cookies. */
    CompletableFuture<Api.Response> get(String path) {
        return api.page(path, cookies);
    }

    String cookies() {
        return cookies;
    }

    /**
     * The value of the form's {@code <input type="hidden" name="…" value="…">} called {@code name} (attributes in any
     * order and quoting, character references in the value decoded), or {@code null} when the page has none.
     */
    static String hiddenField(String html, String name) {
        Matcher input = INPUT.matcher(html);
        while (input.find()) {
            Map<String, String> attributes = attributes(input.group());
            if ("hidden".equalsIgnoreCase(attributes.get("type")) && name.equals(attributes.get("name"))) {
                String value = attributes.get("value");
                return value == null ? "" : unescape(value);
            }
        }
        return null;
    }

    private static Map<String, String> attributes(String tag) {
        Map<String, String> found = new LinkedHashMap<>();
        Matcher attribute = ATTRIBUTE.matcher(tag);
        while (attribute.find()) {
            String value = attribute.group(2) != null
                    ? attribute.group(2)
                    : attribute.group(3) != null ? attribute.group(3) : attribute.group(4);
            found.putIfAbsent(attribute.group(1).toLowerCase(java.util.Locale.ROOT), value);
        }
        return found;
    }

    private static String unescape(String value) {
        return value.replace("&quot;", "\"").replace("&#39;", "'").replace("&#x27;", "'").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&amp;", "&");
    }

    /**
     * Keeps in {@code jar} what {@code Set-Cookie} headers say: each sets its cookie's value (the text before the
     * first {@code ;}, split at the first {@code =}), or deletes the cookie when it expires it ({@code Max-Age=0} or
     * less) or sets it empty.
     */
    static void update(Map<String, String> jar, List<String> setCookies) {
        for (String header : setCookies) {
            String[] parts = header.split(";");
            int equals = parts[0].indexOf('=');
            if (equals <= 0) {
                continue;
            }
            String name = parts[0].substring(0, equals).trim();
            String value = parts[0].substring(equals + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            boolean expired = value.isEmpty();
            for (int i = 1; i < parts.length; i++) {
                String attribute = parts[i].trim();
                if (attribute.regionMatches(true, 0, "Max-Age=", 0, 8)) {
                    try {
                        expired |= Long.parseLong(attribute.substring(8).trim()) <= 0;
                    } catch (NumberFormatException ignored) {
                        // not a number: the attribute is ignored, as a browser does
                    }
                }
            }
            if (expired) {
                jar.remove(name);
            } else {
                jar.put(name, value);
            }
        }
    }

    /** The {@code Cookie} header for {@code jar}: {@code name=value; name=value}. */
    static String cookieHeader(Map<String, String> jar) {
        return jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
    }
}
