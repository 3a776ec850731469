package com.fetchsms.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

import com.fetchsms.e2e.HostileInputTest.Case;
import com.fetchsms.e2e.HostileInputTest.Context;
import com.fetchsms.e2e.HostileInputTest.Expect;
import com.fetchsms.e2e.HostileRoutes.BodyKind;
import com.fetchsms.e2e.HostileRoutes.Credential;
import com.fetchsms.e2e.HostileRoutes.Field;
import com.fetchsms.e2e.HostileRoutes.Route;
import com.fetchsms.e2e.RawHttp.Header;

/**
 * The generators of {@link HostileInputTest}: for each route, each family of hostile input that applies to it
 * (credentials, methods, path ids, bodies, content types, query parameters, headers), plus route-independent families
 * (path traversal, unknown routes, broken HTTP, webhook targets inside the platform). Every request says what it must
 * get: refused (4xx) or anything but 5xx (valid but unusual). All randomness comes from the context's
 * {@link Random}, started from the run number, so a run number generates the same requests again.
 */
final class HostileGenerators {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper ESCAPING = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final int MAX_OVERSIZE = 8;
    private static final String FROM = "+15550001111";

    /** Strings that a guarded field must refuse (NUL, control characters, broken surrogates, far too long). */
    private static final List<String> REFUSED_TEXT = List.of("a\u0000b", "\u0000", "\u0001", "x\u001b[31mred",
            "\u007f", "a\u0085b", "\u009b", "a\ud800b", "\udc00", "\ud83d", "x\u0008y", "\u000b", "\u000c",
            "A".repeat(100_000));
    /** Valid but unusual strings: any answer but 5xx. */
    private static final List<String> ODD_TEXT = List.of("\u202eevil.exe", "zero\u200bwidth\u200d",
            "\ud83d\ude00\ud83d\udd25",
            "\ufeffbom", "\u03a9\u2248\u00e7\u221a", "<script>alert(1)</script>", "' OR 1=1 --", "${jndi:ldap://x/a}",
            "%s%n%x", "../../etc/passwd", "", " ", "\t", "a\nb", "e\u0301\u0301\u0301",
            "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
            "\u4e2d\u6587", "\\u0000", "null", "{{7*7}}", "A".repeat(300), "\ud800\udc00", "\u00a0\u2028\u2029");
    /** Path parameter values that must be refused (never a valid id of the caller's). */
    private static final List<String> REFUSED_IDS = List.of("-1", "0", "2147483648", "9223372036854775808",
            "99999999999999999999999999", "1e3", "0x1F", "NaN", "null", "true", "%00", "%20", "%09", "%0d%0a",
            "%E2%80%AE", "%E2%80%8B", "%F0%9F%98%80", "%ED%A0%80", "%C0%AE", "%FF", "%", "%zz", "%%32%65",
            "%27%20OR%201=1--", "%27%22%3C%3E", "*", "~", "%7B%7D", "00000000-0000-0000-0000-000000000000",
            "%252e%252e", "..%252f..%252finternal", "%2e%2e", "%2e", "..%2f", "%2f", "%5c", "\\", "a%00b",
            "A".repeat(4000), "%u002e", "x%0aX-Injected:%20y");
    /** Dot segments: the gateway resolves them, so the request may reach another (valid) route. */
    /** And matrix parameters (an empty segment with parameters is the collection itself). */
    private static final List<String> DOT_IDS = List.of(".", "..", "./", "../", ";x=1", "..;");

    private final Context ctx;
    private final Random random;
    private final List<Route> routes;
    private final Set<String> methodsByShape;
    private int oversize;
    private int n;

    HostileGenerators(Context ctx, List<Route> routes) {
        this.ctx = ctx;
        this.random = ctx.random;
        this.routes = routes;
        this.methodsByShape = new TreeSet<>();
        routes.forEach(r -> methodsByShape.add(r.method() + " " + shape(r.template())));
    }

    private interface Family {
        Case generate(Route route);
    }

    /** At least {@code count} requests: every applicable (route, family) pair in turn until there are enough. */
    List<Case> generate(int count) {
        List<Map.Entry<Route, Family>> slots = new ArrayList<>();
        for (Route route : routes) {
            // login and signup ignore credentials, and a valid signup hashes a password: a few only
            slot(slots, route, route.credential() != Credential.NONE || route.bodyKind() == BodyKind.NONE,
                    this::badCredential);
            slot(slots, route, route.credential() != Credential.NONE && route.credential() != Credential.SIGNATURE,
                    this::wrongKindOfCredential);
            slot(slots, route, true, this::wrongMethod);
            slot(slots, route, !route.pathParams().isEmpty(), this::badPathId);
            slot(slots, route, !route.victimValues().isEmpty(), this::anotherAccountsId);
            boolean json = route.bodyKind() == BodyKind.JSON || route.bodyKind() == BodyKind.JSON_ARRAY;
            slot(slots, route, json, this::malformedJson);
            slot(slots, route, json, this::malformedJson);
            slot(slots, route, json, this::wrongType);
            slot(slots, route, json, this::wrongType);
            slot(slots, route, route.bodyKind() != BodyKind.NONE, this::hostileText);
            slot(slots, route, route.bodyKind() != BodyKind.NONE, this::hostileText);
            slot(slots, route, route.bodyKind() != BodyKind.NONE, this::hostileText);
            slot(slots, route, json, this::bodyShape);
            slot(slots, route, route.bodyKind() != BodyKind.NONE, this::wrongContentType);
            slot(slots, route, !route.query().isEmpty(), this::queryAbuse);
            slot(slots, route, !route.query().isEmpty(), this::queryAbuse);
            slot(slots, route, route.method().equals("POST") && route.bodyKind() == BodyKind.JSON
                    && (route.template().equals("/v1/verifications") || route.template().equals("/v1/rentals")
                            || route.template().equals("/v1/wallet/deposits")),
                    this::badIdempotencyKey);
            slot(slots, route, route.credential() == Credential.SIGNATURE, this::badSignature);
            slot(slots, route, route.credential() == Credential.SIGNATURE, this::badSignature);
            slot(slots, route, route.template().equals("/v1/ingest/kannel"), this::kannelHeaders);
            slot(slots, route, route.template().equals("/v1/webhooks") && route.method().equals("POST"),
                    this::internalWebhookTarget);
            slot(slots, route, route.template().equals("/v1/webhooks") && route.method().equals("POST"),
                    this::internalWebhookTarget);
            slot(slots, route, route.bodyKind() != BodyKind.NONE, this::oversizeBody);
        }
        Route any = routes.get(0);
        slots.add(Map.entry(any, r -> traversal()));
        slots.add(Map.entry(any, r -> traversal()));
        slots.add(Map.entry(any, r -> traversal()));
        slots.add(Map.entry(any, r -> unknownRoute()));
        slots.add(Map.entry(any, r -> brokenHttp()));
        slots.add(Map.entry(any, r -> brokenHttp()));
        slots.add(Map.entry(any, r -> headerInjection()));
        slots.add(Map.entry(any, r -> headerInjection()));

        List<Case> cases = new ArrayList<>();
        while (cases.size() < count) {
            for (Map.Entry<Route, Family> slot : slots) {
                if (hashesAPassword(slot.getKey()) && random.nextInt(3) > 0) {
                    // a login, signup or password change that passes validation costs a bcrypt hash: fewer of them
                    continue;
                }
                Case c = slot.getValue().generate(slot.getKey());
                if (c != null) {
                    cases.add(c);
                }
            }
        }
        return cases;
    }

    static boolean hashesAPassword(Route route) {
        return route.template().startsWith("/v1/auth/") || route.template().equals("/v1/account/password");
    }

    private static void slot(List<Map.Entry<Route, Family>> slots, Route route, boolean applies, Family family) {
        if (applies) {
            slots.add(Map.entry(route, family));
        }
    }

    // ------------------------------------------------------------------------------------------------ a request

    /** A request under construction: a valid one of its route until a family spoils it. */
    private final class Draft {
        final Route route;
        String method;
        String target;
        final List<Header> headers = new ArrayList<>();
        byte[] body;
        boolean fresh;
        boolean rawFraming;
        String credentialUsed;

        Draft(Route route) {
            this.route = route;
            this.method = route.method();
            this.target = path(route, Map.of());
            String token = credential(route.credential());
            if (token != null) {
                headers.add(new Header("Authorization", "Bearer " + token));
            }
            Map<String, Object> valid = route.validBody().apply(ctx);
            switch (route.bodyKind()) {
                case JSON -> json(valid);
                case JSON_ARRAY -> {
                    List<Object> items = new ArrayList<>();
                    items.add(valid);
                    json(items);
                }
                case FORM -> {
                    headers.add(new Header("Content-Type", "application/x-www-form-urlencoded"));
                    body = form(valid).getBytes(StandardCharsets.UTF_8);
                }
                case RAW_TEXT -> {
                    headers.add(new Header("Content-Type", "text/plain; charset=UTF-8"));
                    headers.add(new Header("X-Kannel-To", ctx.modemCNumber));
                    headers.add(new Header("X-Kannel-From", FROM));
                    body = String.valueOf(valid.get("text")).getBytes(StandardCharsets.UTF_8);
                }
                case NONE -> body = null;
            }
        }

        Draft json(Object value) {
            setHeader("Content-Type", "application/json");
            try {
                body = JSON.writeValueAsBytes(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        Draft rawJson(String json) {
            setHeader("Content-Type", "application/json");
            body = json.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        void setHeader(String name, String value) {
            headers.removeIf(h -> h.name().equalsIgnoreCase(name));
            if (value != null) {
                headers.add(new Header(name, value));
            }
        }

        Case as(String family, Expect expect) {
            return new Case(++n, family, route.key(), method, target, List.copyOf(headers), body, expect, fresh,
                    rawFraming);
        }
    }

    private String credential(Credential credential) {
        return switch (credential) {
            case NONE, SIGNATURE -> null;
            case CUSTOMER -> random.nextBoolean() ? ctx.attacker().apiKey : ctx.attacker().session;
            case SESSION -> ctx.attacker().session;
            case ADMIN -> ctx.adminToken;
            case TEST_KEY -> ctx.testKey;
            case SESSION_OR_TEST_KEY -> random.nextBoolean() ? ctx.attacker().session : ctx.testKey;
            case GATEWAY -> ctx.modemC.token();
        };
    }

    private String path(Route route, Map<String, String> replaced) {
        String path = route.template();
        for (String name : route.pathParams()) {
            String value = replaced.containsKey(name) ? replaced.get(name) : route.pathValues().get(name).apply(ctx);
            path = path.replace("{" + name + "}", value);
        }
        if (route.template().startsWith("/v1/ingest/android-sms-gateway/")) {
            path += "?to=" + encode(ctx.modemCNumber);
        }
        return path;
    }

    /**
     * A malformed percent-encoding or a backslash: the gateway's HTTP server refuses the request line before any
     * route, without a JSON body (the gateway's own tests say so).
     */
    static boolean malformedEscape(String path) {
        return path.indexOf('\\') >= 0 || java.util.regex.Pattern.compile("%(?![0-9A-Fa-f]{2})").matcher(path).find();
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** What a spoiled body of a route must get: refused where it is refuse-only, or the family's own expectation. */
    private static boolean skip(Route route, Expect expect) {
        return route.refuseOnly() && expect.kind() == HostileInputTest.Kind.ANY;
    }

    // ------------------------------------------------------------------------------------------------ families

    /** Missing, malformed, forged, doubled or oversized credentials. */
    private Case badCredential(Route route) {
        Draft d = new Draft(route);
        String valid = credential(route.credential() == Credential.NONE || route.credential() == Credential.SIGNATURE
                ? Credential.SESSION
                : route.credential());
        String[] parts = valid.split("\\.");
        String forged = parts.length == 3
                ? parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse()
                : valid.substring(0, valid.length() - 2) + "zz";
        String noneAlg = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"sub\":\"" + ctx.attacker().id
                        + "\",\"groups\":[\"admin\",\"user\"],\"exp\":4102444800}").getBytes(StandardCharsets.UTF_8))
                + ".";
        List<String> values = Arrays.asList(null, "Bearer", "Bearer ", "Bearer garbage", "Bearer fsk_" + alnum(34),
                "Bearer fgw_" + alnum(43), "Basic " + base64("admin:admin"), "Bearer " + noneAlg,
                "Bearer " + forged, "Bearer " + "a".repeat(6000), "Bearer " + valid + " " + valid,
                "Token " + valid, "Bearer fsk_", "Bearer \u00e9\u00e8", "Basic !!!", "Basic " + base64("no-colon"),
                "Digest username=\"x\"", "Bearer " + valid.toUpperCase());
        String value = pick(values);
        boolean doubled = random.nextInt(8) == 0;
        d.setHeader("Authorization", value);
        if (doubled) {
            d.setHeader("Authorization", "Bearer " + valid);
            d.headers.add(new Header("Authorization", pick(List.of("Bearer junk", "Bearer " + valid, "Basic x"))));
        }
        boolean open = route.credential() == Credential.NONE || route.credential() == Credential.SIGNATURE;
        Expect expect = doubled ? Expect.exactly(400) : open ? Expect.ANY : Expect.REFUSE;
        if (route.credential() == Credential.GATEWAY && value != null && value.startsWith("Basic ")) {
            expect = Expect.REFUSE;
        }
        return d.as(doubled ? "credential-doubled" : "credential-bad", expect);
    }

    /** The right kind of credential for another kind of route: a customer on an admin route, an API key on the dashboard, … */
    private Case wrongKindOfCredential(Route route) {
        Draft d = new Draft(route);
        Customer attacker = ctx.attacker();
        String token;
        Expect expect;
        switch (route.credential()) {
            case ADMIN -> {
                int which = random.nextInt(3);
                token = which == 0 ? attacker.session : which == 1 ? attacker.apiKey : ctx.modemC.token();
                expect = which < 2 ? Expect.exactly(403) : Expect.REFUSE;
            }
            case SESSION -> {
                boolean key = random.nextInt(3) > 0;
                token = key ? attacker.apiKey : ctx.modemC.token();
                expect = key ? Expect.exactly(403) : Expect.REFUSE;
            }
            case CUSTOMER -> {
                token = ctx.modemC.token();
                expect = Expect.REFUSE;
            }
            case TEST_KEY -> {
                int which = random.nextInt(3);
                token = which == 0 ? attacker.apiKey : which == 1 ? attacker.session : ctx.modemC.token();
                expect = which < 2 ? Expect.exactly(403) : Expect.REFUSE;
            }
            case SESSION_OR_TEST_KEY -> {
                // a live key, whatever it asks: never the live account's webhooks nor the sandbox's
                boolean key = random.nextInt(3) > 0;
                token = key ? attacker.apiKey : ctx.modemC.token();
                expect = key ? Expect.exactly(403) : Expect.REFUSE;
            }
            case GATEWAY -> {
                token = pick(List.of(attacker.apiKey, attacker.session, ctx.adminToken));
                expect = Expect.REFUSE;
            }
            default -> {
                return null;
            }
        }
        d.setHeader("Authorization", "Bearer " + token);
        return d.as("credential-wrong-kind", expect);
    }

    /** A method the path does not have. */
    private Case wrongMethod(Route route) {
        List<String> others = new ArrayList<>();
        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "OPTIONS", "HEAD", "FOO")) {
            if (!methodsByShape.contains(method + " " + shape(route.template()))) {
                others.add(method);
            }
        }
        if (route.refuseOnly() && route.bodyKind() == BodyKind.NONE) {
            others.removeAll(List.of("OPTIONS", "HEAD"));
        }
        if (others.isEmpty()) {
            return null;
        }
        Draft d = new Draft(route);
        d.method = pick(others);
        // the gateway's own health checks answer any method (read-only, nothing of the request is echoed)
        boolean lenient = d.method.equals("OPTIONS") || d.method.equals("HEAD") || route.template().startsWith("/q/");
        return d.as("method", lenient ? Expect.ANY : Expect.REFUSE);
    }

    /** A path parameter that is no valid id: negative, overflowing, encoded NUL, traversal, far too long, … */
    private Case badPathId(Route route) {
        String name = pick(route.pathParams());
        boolean dots = random.nextInt(10) == 0;
        if (dots && route.refuseOnly()) {
            return null;
        }
        String value = dots ? pick(DOT_IDS) : pick(REFUSED_IDS);
        Draft d = new Draft(route);
        d.target = path(route, Map.of(name, value));
        return d.as(dots ? "path-dots" : "path-id", dots
                ? Expect.ANY
                : malformedEscape(value) ? Expect.protocol(HostileInputTest.Kind.REFUSE) : Expect.REFUSE);
    }

    /** Another account's resource: 404, never 2xx or 403 (which would tell that it exists). */
    private Case anotherAccountsId(Route route) {
        Map.Entry<String, Function<Context, String>> param = pick(new ArrayList<>(route.victimValues().entrySet()));
        String value = param.getValue().apply(ctx);
        if (value == null) {
            return null;
        }
        Draft d = new Draft(route);
        d.target = path(route, Map.of(param.getKey(), value));
        return d.as("another-accounts-id", Expect.exactly(404));
    }

    private static final List<String> MALFORMED = List.of("{", "}", "{\"service\": 4", "{'service': 4}",
            "{\"service\": 4,}", "{\"a\": NaN}", "{\"a\": Infinity}", "/* c */ {}", "{\"a\": 1} trailing", "{\"a\" 1}",
            "{\"a\": 01}", "{\"a\": .5}", "{\"a\": \"unterminated}", "{\"a\": \"\\x41\"}", "{\"a\": \"\\u12\"}",
            "[", "]", "", " ", "\u0000", "nul", "tru", "{\"a\":1}{\"b\":2}", "{\"a\": [1, 2}", "{\"a\": {\"b\": 1]}",
            "{\"a\": \"\t\"}", "{\"a\": +1}", "{\"a\": 1e}", "{\"a\": --1}", "{,}", "{\"\": }", "<xml/>",
            "service=4", "\"just a string\"");

    /** Not JSON at all, or broken JSON, or bytes that are not UTF-8. */
    private Case malformedJson(Route route) {
        Draft d = new Draft(route);
        int which = random.nextInt(MALFORMED.size() + 6);
        if (which < MALFORMED.size()) {
            d.rawJson(MALFORMED.get(which));
        } else {
            byte[][] invalidUtf8 = {{(byte) 0xC3, 0x28}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF},
                    {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF},
                    {(byte) 0xE2, (byte) 0x82}};
            byte[] bad = invalidUtf8[which - MALFORMED.size()];
            String field = route.fields().isEmpty() ? "name" : pick(route.fields()).name();
            byte[] prefix = ("{\"" + field + "\": \"a").getBytes(StandardCharsets.UTF_8);
            byte[] suffix = "b\"}".getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[prefix.length + bad.length + suffix.length];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            System.arraycopy(bad, 0, body, prefix.length, bad.length);
            System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);
            d.json(Map.of());
            d.body = body;
        }
        // Jackson reads the first JSON value and ignores what follows ({"a":1} trailing), and decodes the overlong
        // UTF-8 C0 AF as '/': such a body may be read (refuse-only routes do not get them)
        boolean lenient = which < MALFORMED.size()
                ? MALFORMED.get(which).startsWith("{\"a\":1}{") || MALFORMED.get(which).endsWith("} trailing")
                : which - MALFORMED.size() == 4;
        Expect expect = lenient && route.credential() != Credential.SIGNATURE ? Expect.ANY : Expect.REFUSE;
        if (skip(route, expect)) {
            return null;
        }
        // android-sms-gateway checks the signature before it reads the body: still refused (401)
        return d.as("json-malformed", expect);
    }

    /** A field of the wrong JSON type, or a number no field takes. */
    private Case wrongType(Route route) {
        if (route.fields().isEmpty()) {
            return null;
        }
        Field field = pick(route.fields());
        Object value;
        Expect expect;
        List<Object> refused = new ArrayList<>(List.of(Map.of("a", 1), List.of(1, 2)));
        List<Object> odd = new ArrayList<>();
        switch (field.type()) {
            case STRING, TIMESTAMP -> {
                odd.addAll(List.of(1, 1.5, true, -1, 12345678901234567890.0));
                if (field.type() == HostileRoutes.Type.TIMESTAMP) {
                    refused.addAll(List.of("yesterday", "2026-13-45T00:00:00Z", "+999999999-12-31T23:59:59Z",
                            "-000001-01-01T00:00:00Z", "2026-01-01T00:00:00", "0000-01-01T00:00:00Z",
                            "10000-01-01T00:00:00Z", "2026-01-01T00:00:00+25:00", "1e20"));
                }
            }
            case INTEGER, SIGNED_INTEGER -> {
                if (field.type() == HostileRoutes.Type.INTEGER) {
                    refused.add(-1);
                }
                refused.addAll(List.of("abc", 0, -2147483649L, 2147483648L, new java.math.BigInteger(
                        "99999999999999999999999999"), "1" + "0".repeat(2000)));
                odd.addAll(List.of(1.5, "4", true, 1e3, -0.0));
            }
            case UUID -> {
                refused.addAll(List.of("abc", 123, "", "00000000-0000-0000-0000-00000000000g", "%00"));
                odd.add("00000000-0000-0000-0000-000000000000");
            }
            case BOOLEAN -> {
                refused.addAll(List.of("yes", "maybe"));
                odd.addAll(List.of(2, "true", 0));
            }
            case STRING_ARRAY -> {
                refused.addAll(List.of("x", 1, List.of(Map.of()), List.of(List.of())));
                odd.addAll(List.of(List.of(1), List.of(), java.util.Collections.nCopies(2000, "x")));
            }
        }
        boolean refuse = route.refuseOnly() || random.nextInt(3) > 0;
        if (refuse) {
            value = pick(refused);
            expect = Expect.REFUSE;
        } else {
            value = pick(odd);
            expect = Expect.ANY;
        }
        if (value instanceof String s && s.length() > 1000 && field.type() != HostileRoutes.Type.STRING) {
            Draft d = new Draft(route);
            Map<String, Object> body = new LinkedHashMap<>(route.validBody().apply(ctx));
            body.put(field.name(), "@@");
            String json = toJson(route, body).replace("\"@@\"", s);
            d.rawJson(json);
            return d.as("json-huge-number", expect);
        }
        Draft d = new Draft(route);
        Map<String, Object> body = new LinkedHashMap<>(route.validBody().apply(ctx));
        body.put(field.name(), value);
        d.rawJson(toJson(route, body));
        if (route.credential() == Credential.SIGNATURE) {
            expect = Expect.REFUSE;
        } else if (route.bodyKind() == BodyKind.JSON_ARRAY) {
            // a batch answers 202 with each item's own status
            expect = Expect.ANY;
        }
        if (skip(route, expect)) {
            return null;
        }
        return d.as("json-wrong-type", expect);
    }

    /** NUL, control characters, broken surrogates, 100,000 characters; or odd but valid Unicode. */
    private Case hostileText(Route route) {
        List<Field> texts = route.fields().stream().filter(f -> f.type() == HostileRoutes.Type.STRING).toList();
        if (texts.isEmpty()) {
            return null;
        }
        Field field = pick(texts);
        boolean refuse = field.guarded() && (route.refuseOnly() || random.nextBoolean());
        String value = refuse ? pick(REFUSED_TEXT) : pick(field.guarded() ? ODD_TEXT : concat(ODD_TEXT, REFUSED_TEXT));
        Expect expect = refuse && route.bodyKind() != BodyKind.JSON_ARRAY
                || route.credential() == Credential.SIGNATURE ? Expect.REFUSE : Expect.ANY;
        if (skip(route, expect)) {
            return null;
        }
        Draft d = new Draft(route);
        Map<String, Object> body = new LinkedHashMap<>(route.validBody().apply(ctx));
        body.put(field.name(), value);
        switch (route.bodyKind()) {
            case JSON, JSON_ARRAY -> d.rawJson(toJson(route, body));
            case FORM -> {
                d.body = form(body).getBytes(StandardCharsets.UTF_8);
                if (!value.equals(new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))) {
                    // a broken surrogate pair cannot be form-encoded: the form carries '?' instead
                    expect = Expect.ANY;
                }
            }
            case RAW_TEXT -> d.body = value.getBytes(StandardCharsets.UTF_8);
            default -> {
                return null;
            }
        }
        if (route.bodyKind() == BodyKind.FORM && field.name().equals("coding")) {
            expect = Expect.REFUSE;
        }
        return d.as(refuse ? "text-refused" : "text-odd", expect);
    }

    /** Duplicate keys, deep nesting, the wrong top-level type, unknown fields, an empty object. */
    private Case bodyShape(Route route) {
        Draft d = new Draft(route);
        Map<String, Object> valid = route.validBody().apply(ctx);
        String validJson = toJson(route, valid);
        int which = random.nextInt(9);
        Expect expect;
        String family;
        switch (which) {
            case 0 -> {
                d.rawJson("[".repeat(100_000) + "]".repeat(100_000));
                expect = Expect.REFUSE;
                family = "json-deep";
            }
            case 1 -> {
                String inner = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
                d.rawJson(validJson.replaceFirst("^(\\[?)\\{", "$1{\"nested\": " + inner + ", "));
                expect = Expect.REFUSE;
                family = "json-deep";
            }
            case 2 -> {
                d.rawJson(route.bodyKind() == BodyKind.JSON_ARRAY ? "{}" : "[" + validJson + "]");
                expect = Expect.REFUSE;
                family = "json-top-level";
            }
            case 3 -> {
                d.rawJson(pick(List.of("null", "123", "true", "\"x\"")));
                expect = Expect.REFUSE;
                family = "json-top-level";
            }
            case 4 -> {
                if (route.fields().isEmpty()) {
                    return null;
                }
                String key = pick(route.fields()).name();
                d.rawJson(validJson.replaceFirst("\\{", "{\"" + key + "\": {\"x\": 1}, "));
                expect = Expect.ANY;
                family = "json-duplicate-key";
            }
            case 5 -> {
                d.rawJson(validJson.replaceFirst("\\{", "{\"__proto__\": {\"admin\": true}, \"role\": \"admin\", "
                        + "\"account_id\": \"" + ctx.victim.id + "\", \"balance_cents\": 1000000, "));
                expect = Expect.ANY;
                family = "json-extra-fields";
            }
            case 6 -> {
                d.rawJson(route.bodyKind() == BodyKind.JSON_ARRAY ? "[]" : "{}");
                expect = route.bodyKind() == BodyKind.JSON_ARRAY ? Expect.REFUSE : Expect.ANY;
                family = "json-empty";
            }
            case 7 -> {
                if (route.bodyKind() != BodyKind.JSON_ARRAY) {
                    return null;
                }
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < 501; i++) {
                    items.add(valid);
                }
                d.json(items);
                expect = Expect.REFUSE;
                family = "json-batch-too-big";
            }
            default -> {
                if (route.bodyKind() != BodyKind.JSON_ARRAY) {
                    return null;
                }
                d.rawJson("[1, \"x\", null, [], {\"to\": {}}, " + validJson.substring(1));
                expect = Expect.ANY;
                family = "json-batch-mixed";
            }
        }
        if (route.credential() == Credential.SIGNATURE) {
            expect = Expect.REFUSE;
        }
        if (skip(route, expect)) {
            return null;
        }
        return d.as(family, expect);
    }

    /** A valid body sent with a content type the route does not read. */
    private Case wrongContentType(Route route) {
        Draft d = new Draft(route);
        boolean wildcard = route.bodyKind() == BodyKind.RAW_TEXT || route.credential() == Credential.SIGNATURE;
        String type = pick(Arrays.asList("text/plain", "application/xml", "multipart/form-data; boundary=x",
                "application/x-www-form-urlencoded", "image/png", "garbage", "application/json-patch+json",
                "text/html; charset=utf-8", null, "application/json; charset=utf-16", "application/json; charset=x",
                "application/json, text/plain", "", "*/*", "application/*", "APPLICATION/JSON"));
        if (route.bodyKind() == BodyKind.FORM && type != null && type.startsWith("application/x-www")) {
            type = "application/json";
        }
        d.setHeader("Content-Type", type);
        boolean lenient = type == null || type.isEmpty() || type.contains("charset") || type.contains("*")
                || type.equalsIgnoreCase("application/json") || type.contains(",");
        Expect expect = wildcard ? Expect.ANY : lenient ? Expect.ANY : Expect.REFUSE;
        if (route.credential() == Credential.SIGNATURE) {
            expect = Expect.REFUSE;
        }
        if (skip(route, expect)) {
            return null;
        }
        return d.as("content-type", expect);
    }

    /** Limits, cursors, enums and filters out of range, of the wrong type, repeated, encoded badly. */
    private Case queryAbuse(Route route) {
        HostileRoutes.Query query = pick(route.query());
        Draft d = new Draft(route);
        String value;
        Expect expect;
        List<String> refused = switch (query.kind()) {
            case "int" -> List.of("-1", "0", "abc", "1e3", "99999999999999999999", "1.5", "%00", "0x10", "100000",
                    "-2147483649");
            case "uuid" -> List.of("abc", "%00", "%27", "1", "00000000-0000-0000-0000-00000000000z", "%E2%80%AE");
            // (a value is trimmed and its case ignored: "ACTIVE%00" is "active")
            case "enum" -> List.of("xyz", "%E2%80%AE", "A".repeat(3000), "activ");
            case "boolean" -> List.of("maybe", "2", "%00", "yes%0d%0a");
            default -> List.of();
        };
        List<String> odd = List.of("", "%20", "%00", "%0d%0aX-Injected:%20x", "%E2%80%AE%F0%9F%98%80", "%25",
                "A".repeat(3000), "%27%20OR%201=1--", "%ED%A0%80", "%FF", "..%2f..%2finternal", "+", "%2B1", "*",
                "%EF%BC%91");
        if (!refused.isEmpty() && random.nextBoolean()) {
            value = pick(refused);
            expect = Expect.REFUSE;
        } else {
            value = pick(odd);
            expect = Expect.ANY;
        }
        String extra = pick(List.of("", "", "&" + query.name() + "=1", "&unknown=1", "&" + query.name() + "[]=1",
                "&%00=1", "&=&&"));
        if (route.template().startsWith("/v1/ingest/android")) {
            d.target = path(route, Map.of()).replaceFirst("\\?to=[^&]*", "?to=" + value) + extra;
            expect = Expect.REFUSE;
        } else {
            d.target = d.target + (d.target.contains("?") ? "&" : "?") + query.name() + "=" + value + extra;
        }
        return d.as("query", expect);
    }

    /** A purchase or deposit with an Idempotency-Key no route takes: it must not buy or deposit anything. */
    private Case badIdempotencyKey(Route route) {
        Draft d = new Draft(route);
        // one rule for purchases and deposits (IdempotencyKeys): once, 1 to 255 printable ASCII characters, no spaces
        List<String> keys = new ArrayList<>(List.of("", " ", "k".repeat(256), "k".repeat(20_000), "a b",
                "\u00e9t\u00e9", "key\u0001", "tab\tkey"));
        String key = pick(keys);
        d.setHeader("Idempotency-Key", key);
        // a control character in a header: the gateway's HTTP codec may refuse the request before any route
        // (and a header over the HTTP server's 8 KB limit: 431 from the codec)
        return d.as("idempotency-key", key.length() > 8000 || key.chars().anyMatch(ch -> ch < 0x20 && ch != '\t')
                ? Expect.protocol(HostileInputTest.Kind.REFUSE)
                : Expect.REFUSE);
    }

    /** android-sms-gateway and payment-provider notifications: forged, stale, malformed signatures. */
    private Case badSignature(Route route) {
        Draft d = new Draft(route);
        long now = Instant.now().getEpochSecond();
        if (route.template().startsWith("/v1/ingest/android")) {
            d.setHeader("X-Signature", pick(Arrays.asList(null, "", "00", "zz", "a".repeat(64), "a".repeat(5000))));
            d.setHeader("X-Timestamp", pick(Arrays.asList(null, "", "abc", String.valueOf(now),
                    String.valueOf(now - 100_000), "-9223372036854775808", "9223372036854775807", "1e3",
                    String.valueOf(now) + "x")));
            if (random.nextInt(4) == 0) {
                d.target = path(route, Map.of("gatewayId", pick(REFUSED_IDS)));
                if (malformedEscape(d.target)) {
                    return d.as("signature", Expect.protocol(HostileInputTest.Kind.REFUSE));
                }
            }
        } else {
            d.setHeader("X-FetchSMS-Sandbox-Signature", pick(Arrays.asList(null, "", "t=,v1=", "t=" + now + ",v1=zz",
                    "t=" + now + ",v1=00", "t=-9223372036854775808,v1=00", "t=9223372036854775807,v1=00", "v1=00",
                    "t=" + now, "t=" + now + ",v1=" + "a".repeat(64), "t=1e3,v1=00", "t=" + now + ",v1=" + "0".repeat(
                            10_000))));
            if (random.nextInt(4) == 0) {
                d.target = path(route, Map.of("provider", pick(List.of("stripe", "SANDBOX", "%00", "..", "x".repeat(
                        3000)))));
            }
        }
        return d.as("signature", Expect.REFUSE);
    }

    /** Kannel's headers: an unknown charset, a broken UDH, a time that is no time, a number that is none. */
    private Case kannelHeaders(Route route) {
        Draft d = new Draft(route);
        int which = random.nextInt(5);
        switch (which) {
            case 0 -> d.setHeader("X-Kannel-Time", pick(List.of("yesterday", "2026-13-45 99:99:99",
                    "10000-01-01 00:00:00", "0000-00-00 00:00:00", "2026-01-01T00:00:00Z")));
            case 1 -> d.setHeader("X-Kannel-UDH", pick(List.of("zz", "%", "%z1", "0500030", "05000", "%05%00%03")));
            case 2 -> d.setHeader("Content-Type", pick(List.of("text/plain; charset=x-unknown",
                    "text/plain; charset=UTF-7x")));
            case 3 -> d.setHeader("X-Kannel-To", pick(List.of("", "abc", "+1", "%00", "+1" + "9".repeat(40),
                    "\u202e+12125550100")));
            default -> {
                d.setHeader("X-Kannel-To", null);
                return d.as("kannel-headers", Expect.REFUSE);
            }
        }
        // a UDH that is only part of a concatenation header is no header at all: the SMS may be taken as it is
        return d.as("kannel-headers", which == 1 ? Expect.ANY : Expect.REFUSE);
    }

    /** A webhook aimed at the platform itself, loopback in any spelling, a private network or cloud metadata. */
    private Case internalWebhookTarget(Route route) {
        int port = pick(new ArrayList<>(ctx.platformPorts));
        List<String> hosts = List.of("127.0.0.1", "localhost", "LOCALHOST", "LocalHost.", "127.1", "127.0.1",
                "0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "2130706433", "017700000001", "127.000.000.001",
                "[::1]", "[0:0:0:0:0:0:0:1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[0::1]",
                "[::ffff:0:127.0.0.1]", "[64:ff9b::127.0.0.1]", "[2002:7f00:1::]", "127.0.0.1.", "0.0.0.0", "0",
                "[::]", "[fe80::1%25eth0]", "localhost.localdomain", "127.255.255.254");
        List<String> inside = List.of("http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/",
                "http://metadata.google.internal/computeMetadata/v1/", "http://100.100.100.200/latest/meta-data",
                "http://10.0.0.1/", "http://192.168.1.1/", "http://172.16.0.1/", "http://[fc00::1]/",
                "http://[::ffff:169.254.169.254]/", "http://0xa9fea9fe/", "http://2852039166/",
                "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "http://[64:ff9b::a9fe:a9fe]/",
                "http://[2002:a9fe:a9fe::]/", "http://100.64.0.1/", "http://198.18.0.1/", "http://224.0.0.1/",
                "file:///etc/passwd", "gopher://127.0.0.1:" + port + "/_x", "ftp://127.0.0.1/",
                "javascript:alert(1)", "data:text/plain,x", "http://127.0.0.1:99999/", "http://127.0.0.1:0/",
                "http://127.0.0.1:-1/", "http:///internal", "http://user:pass@/", "//127.0.0.1:" + port + "/",
                "http://127.0.0.1:" + port + "#@hooks.example.com/", "http://hooks.example.com@127.0.0.1:" + port + "/",
                "http://127.0.0.1\\@hooks.example.com/",
                "https://hooks.example.com:99999/", "http://[::1]:" + port + "/internal/api-keys/introspect",
                "HTTP://127.0.0.1:" + port + "/internal/reservations/x/release", "http://127.0.0.1:" + port
                        + "/%2e%2e/internal/debits");
        String url;
        if (random.nextBoolean()) {
            String host = pick(hosts);
            String path = pick(List.of("/", "/internal/debits", "/internal/reservations/"
                    + java.util.UUID.randomUUID() + "/release", "/q/health", "/v1/wallet"));
            url = pick(List.of("http://", "https://", "HTTP://", "http:\\\\")) + host + ":" + port + path;
        } else {
            url = pick(inside);
        }
        Draft d = new Draft(route);
        d.json(Map.of("url", url, "events", List.of("sms.received")));
        return d.as("webhook-internal-target", Expect.REFUSE);
    }

    /** A body over the gateway's 10 MB limit (a few only: they are heavy). */
    private Case oversizeBody(Route route) {
        if (oversize >= MAX_OVERSIZE) {
            return null;
        }
        oversize++;
        Draft d = new Draft(route);
        byte[] big = new byte[11 * 1024 * 1024];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        d.body = big;
        d.fresh = true;
        return d.as("oversize", new Expect(HostileInputTest.Kind.REFUSE, Set.of(413), true));
    }

    // ------------------------------------------------------------------------------------------------ any route

    /** Paths that climb out of a route's prefix, plainly or encoded once or twice, toward internal routes. */
    private Case traversal() {
        String prefix = pick(List.of("/v1/verifications/", "/v1/services/", "/v1/wallet/", "/v1/ingest/",
                "/openapi/", "/v1/", "/v1/admin/numbers/", "/v1/rentals/x/", "/q/health/"));
        String up = pick(List.of("..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%252e%252e", "..%2f", "..%5c", "..\\",
                "..;", "%c0%ae%c0%ae", "..%00", "..%252f", "%2e%2e%2f", ".%252e", "%%32%65%%32%65", "....//"));
        int depth = 1 + random.nextInt(4);
        StringBuilder target = new StringBuilder(prefix);
        for (int i = 0; i < depth; i++) {
            target.append(up).append(up.endsWith("/") || up.endsWith("f") || up.endsWith("F") ? "" : "/");
        }
        target.append(pick(List.of("internal/debits", "internal/api-keys/introspect", "internal/reservations",
                "internal/sessions/introspect", "q/health", "q/metrics", "q/openapi", "q/dev-ui", "etc/passwd",
                "internal/numbers/lookup")));
        Draft d = new Draft(routes.stream().filter(r -> r.template().equals("/v1/verifications/{id}")).findFirst()
                .orElseThrow());
        d.method = pick(List.of("GET", "POST"));
        d.target = target.toString();
        return d.as("path-traversal", malformedEscape(d.target)
                ? Expect.protocol(HostileInputTest.Kind.REFUSE)
                : Expect.REFUSE);
    }

    /** Routes that do not exist, internal routes asked for directly, the services' own /q routes. */
    private Case unknownRoute() {
        String target = pick(List.of("/v1/unknown", "/v1", "/", "/v2/services", "/v1/services/unknown/deeper",
                "/V1/SERVICES", "/internal/debits", "/internal/api-keys/introspect", "/internal/reservations",
                "/q/metrics", "/q/openapi", "/q/dev-ui", "/q/health/../../internal/debits", "/openapi/unknown",
                "/openapi/internal", "/openapi/wallet/extra", "/v1/admin", "/v1/admin/unknown", "/v1/ingest",
                "/v1/webhooks/deliveries", "/.env", "/v1/../.git/config", "/%2e%2e/internal/debits",
                "/v1/services%00", "/v1/services%2f..%2finternal", "/v1;jsessionid=x/services", "/v1/services;/"
                        .replace(";/", ";x"),
                "/Internal/debits", "/INTERNAL/debits", "/internal%2fdebits", "/v1/wallet/deposits/webhooks",
                "/v1/ingest/android-sms-gateway", "/q", "/openapi/"));
        Draft d = new Draft(routes.get(0));
        d.method = pick(List.of("GET", "POST", "DELETE"));
        d.target = target;
        String token = credential(pick(List.of(Credential.CUSTOMER, Credential.ADMIN, Credential.GATEWAY)));
        d.setHeader("Authorization", random.nextBoolean() ? "Bearer " + token : null);
        // "/openapi/" with a trailing slash may be the index
        if (target.equals("/openapi/") || target.equals("/v1/services;x")
                || target.equals("/v1;jsessionid=x/services")) {
            return d.as("unknown-route", Expect.ANY);
        }
        // GET / is the gateway's redirect to its home page, the dashboard (fetchsms.gateway.home: 303 to /app/); any
        // other method on / has no route
        return d.as("unknown-route", target.equals("/") && d.method.equals("GET")
                ? new Expect(HostileInputTest.Kind.ANY, Set.of(303), false)
                : Expect.REFUSE);
    }

    /** HTTP that is broken or ambiguous: smuggling framings, bad request lines, control bytes in headers. */
    private Case brokenHttp() {
        Draft d = new Draft(pick(routes.stream().filter(r -> r.method().equals("GET") && !r.refuseOnly()).toList()));
        d.fresh = true;
        int which = random.nextInt(14);
        // refused by any server that reads HTTP strictly: invalid or conflicting Content-Length, a header over the
        // limit, a method that is no token; the rest may be read leniently, but never answered 5xx
        HostileInputTest.Kind kind = which == 2 || which == 3 || which == 5 || which == 9
                ? HostileInputTest.Kind.REFUSE
                : HostileInputTest.Kind.ANY;
        switch (which) {
            case 0 -> {
                d.rawFraming = true;
                d.headers.add(new Header("Host", "127.0.0.1"));
                d.headers.add(new Header("Transfer-Encoding", "chunked"));
                d.headers.add(new Header("Content-Length", "5"));
                d.body = "0\r\n\r\nGET /internal/debits HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.UTF_8);
            }
            case 1 -> {
                d.rawFraming = true;
                d.headers.add(new Header("Host", "127.0.0.1"));
                d.headers.add(new Header("Transfer-Encoding", pick(List.of("xchunked", "chunked, identity",
                        " chunked", "chunked\u000b"))));
                d.body = "zz\r\nxx\r\n0\r\n\r\n".getBytes(StandardCharsets.UTF_8);
            }
            case 2 -> {
                d.rawFraming = true;
                d.headers.add(new Header("Host", "127.0.0.1"));
                d.headers.add(new Header("Content-Length", pick(List.of("-1", "abc", "1, 2", "99999999999999999999",
                        "0x10"))));
                d.body = new byte[0];
            }
            case 3 -> {
                d.rawFraming = true;
                d.headers.add(new Header("Host", "127.0.0.1"));
                d.headers.add(new Header("Content-Length", "0"));
                d.headers.add(new Header("Content-Length", "10"));
                d.body = "0123456789".getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> d.target = d.target + " HTTP/1.1\r\nX-Injected: 1\r\nX-Other:";
            case 5 -> d.method = pick(List.of("G\u0000T", "GE T", "G(T", "GET/"));
            case 6 -> d.target = pick(List.of("*", "http://169.254.169.254/latest/meta-data/", "v1/services",
                    "//127.0.0.1:8082/internal/debits", "/v1/services\u0000", "/v1/ser vices", "/v1/\u00e9",
                    "/v1/services#frag", "/v1/services?\u0000", "/v1/services\t"));
            case 7 -> d.headers.add(new Header(pick(List.of("X Test", "X-Test\u0000", "X-Test\t", ":authority",
                    "X-\u00e9", "")), "1"));
            case 8 -> d.headers.add(new Header("X-Test", "a\rX-Injected: b"));
            case 9 -> d.headers.add(new Header("X-Large", "x".repeat(64 * 1024)));
            case 10 -> {
                for (int i = 0; i < 300; i++) {
                    d.headers.add(new Header("X-Many-" + i, "v"));
                }
            }
            case 11 -> {
                d.headers.add(new Header("X-Folded", "a\r\n b"));
            }
            case 12 -> d.target = "/v1/services?" + "a=1&".repeat(5000);
            default -> {
                d.rawFraming = true;
                d.headers.add(new Header("Host", pick(List.of("127.0.0.1\u0000", "a b", "127.0.0.1:99999",
                        "[::1"))));
            }
        }
        return d.as("http-broken", Expect.protocol(kind));
    }

    /** Headers a client controls, with CR/LF-encoded payloads or values that are not what they claim. */
    private Case headerInjection() {
        Draft d = new Draft(pick(routes.stream().filter(r -> r.method().equals("GET") && !r.refuseOnly()).toList()));
        int which = random.nextInt(6);
        switch (which) {
            case 0 -> d.headers.add(new Header("X-Forwarded-For", pick(List.of("127.0.0.1", "169.254.169.254",
                    "::1, 10.0.0.1", "garbage", "' OR 1=1", "1.1.1.1".repeat(2000)))));
            case 1 -> d.headers.add(new Header("X-Forwarded-Host", pick(List.of("evil.example.com",
                    "127.0.0.1:8082", "a%0d%0aX-Injected: x"))));
            case 2 -> d.headers.add(new Header("X-Request-Id", pick(List.of("%0d%0aX-Injected: x", "\u00e9\u00e8",
                    "x".repeat(4000)))));
            case 3 -> d.headers.add(new Header("Accept", pick(List.of("application/xml", "text/html", "*/*;q=x",
                    "garbage", ""))));
            case 4 -> d.headers.add(new Header("Accept-Encoding", pick(List.of("gzip;q=2", "br, deflate, x",
                    "identity;q=0"))));
            default -> d.headers.add(new Header("Cookie", "session=" + "x".repeat(2000) + "; admin=true"));
        }
        return d.as("header-hostile", Expect.ANY);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * The body as JSON text; every other time (and always when it holds a broken surrogate pair, which UTF-8 cannot
     * carry) with non-ASCII characters escaped as {@code \\uXXXX}.
     */
    private String toJson(Route route, Map<String, Object> body) {
        Object value = route.bodyKind() == BodyKind.JSON_ARRAY ? List.of(body) : body;
        try {
            String plain = JSON.writeValueAsString(value);
            return random.nextBoolean() || !plain.equals(new String(plain.getBytes(StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8)) ? ESCAPING.writeValueAsString(value) : plain;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, Object> values) {
        StringBuilder form = new StringBuilder();
        values.forEach((k, v) -> form.append(form.length() == 0 ? "" : "&").append(encode(k)).append('=')
                .append(encode(String.valueOf(v))));
        return form.toString();
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private String alnum(int length) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(chars.charAt(random.nextInt(chars.length())));
        }
        return s.toString();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static String shape(String template) {
        return template.replaceAll("\\{[^}]+}", "{}");
    }
}
