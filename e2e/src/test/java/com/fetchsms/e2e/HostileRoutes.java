package com.fetchsms.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every public route of the build as the hostile-input suite attacks it: which credential it wants, its path
 * parameters, its query parameters and its body. {@link HostileInputTest} checks this table against the OpenAPI
 * documents the gateway serves, so a route added to a service without a generator here fails the suite.
 */
final class HostileRoutes {

    /** The credential a route wants. */
    enum Credential {
        /** Anyone. */
        NONE,
        /** A customer's API key or dashboard session. */
        CUSTOMER,
        /** A dashboard session only: an API key is 403. */
        SESSION,
        /** The administrator's session: a customer is 403. */
        ADMIN,
        /** A test key ({@code fsk_test_…}): a live key or a session is 403. */
        TEST_KEY,
        /**
         * A dashboard session (the live account) or a test key (its sandbox twin): a live key is 403. The webhook
         * routes, and the sandbox wallet's balance.
         */
        SESSION_OR_TEST_KEY,
        /** A modem gateway's token. */
        GATEWAY,
        /** A signature of the body (android-sms-gateway, payment providers): no bearer credential. */
        SIGNATURE
    }

    /** The JSON type of a body field. */
    enum Type {
        STRING,
        INTEGER,
        SIGNED_INTEGER,
        UUID,
        BOOLEAN,
        STRING_ARRAY,
        TIMESTAMP
    }

    /**
     * A body field: its type, and whether the route guards its text ({@code guarded}: NUL, control characters and
     * broken surrogates are refused, as {@code TextGuard} does; an SMS text is sanitised instead, so anything goes).
     */
    record Field(String name, Type type, boolean guarded) {
    }

    /** A query parameter: refused values are generated for {@code kind} ("int", "uuid", "enum", "number", "text"). */
    record Query(String name, String kind) {
    }

    /** How a route reads its body. */
    enum BodyKind {
        NONE,
        JSON,
        JSON_ARRAY,
        FORM,
        RAW_TEXT
    }

    /**
     * One route. {@code validBody} builds a body that the route would accept from {@code ctx} (null: no body);
     * {@code refuseOnly}: a request that succeeded would change something the suite checks afterwards (money, a
     * price, the inventory, a password, a webhook target), so only inputs that must be refused are generated for it;
     * {@code pathValues}: a valid value of each path parameter, by name.
     */
    record Route(String method, String template, Credential credential, BodyKind bodyKind, List<Field> fields,
            List<Query> query, boolean refuseOnly, Function<HostileInputTest.Context, Map<String, Object>> validBody,
            Map<String, Function<HostileInputTest.Context, String>> pathValues,
            Map<String, Function<HostileInputTest.Context, String>> victimValues) {

        String key() {
            return method + " " + template;
        }

        List<String> pathParams() {
            List<String> names = new ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(template);
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }

        boolean admin() {
            return credential == Credential.ADMIN;
        }
    }

    private HostileRoutes() {
    }

    private static final class Builder {
        final String method;
        final String template;
        final Credential credential;
        BodyKind bodyKind = BodyKind.NONE;
        List<Field> fields = new ArrayList<>();
        List<Query> query = new ArrayList<>();
        boolean refuseOnly;
        Function<HostileInputTest.Context, Map<String, Object>> body = ctx -> null;
        Map<String, Function<HostileInputTest.Context, String>> path = new LinkedHashMap<>();
        Map<String, Function<HostileInputTest.Context, String>> victim = new LinkedHashMap<>();

        Builder(String method, String template, Credential credential) {
            this.method = method;
            this.template = template;
            this.credential = credential;
        }

        Builder json(Function<HostileInputTest.Context, Map<String, Object>> body, Field... fields) {
            this.bodyKind = BodyKind.JSON;
            this.body = body;
            this.fields = List.of(fields);
            return this;
        }

        Builder body(BodyKind kind, Function<HostileInputTest.Context, Map<String, Object>> body, Field... fields) {
            this.bodyKind = kind;
            this.body = body;
            this.fields = List.of(fields);
            return this;
        }

        Builder query(String name, String kind) {
            query.add(new Query(name, kind));
            return this;
        }

        Builder refuseOnly() {
            refuseOnly = true;
            return this;
        }

        Builder path(String name, Function<HostileInputTest.Context, String> valid) {
            path.put(name, valid);
            return this;
        }

        /** Another account's resource of this kind: the attacker must get 404. */
        Builder victim(String name, Function<HostileInputTest.Context, String> value) {
            victim.put(name, value);
            return this;
        }

        Route build() {
            return new Route(method, template, credential, bodyKind, fields, query, refuseOnly, body, path, victim);
        }
    }

    private static Builder route(String method, String template, Credential credential) {
        return new Builder(method, template, credential);
    }

    private static Field text(String name) {
        return new Field(name, Type.STRING, true);
    }

    private static Field lenient(String name) {
        return new Field(name, Type.STRING, false);
    }

    private static Field of(String name, Type type) {
        return new Field(name, type, true);
    }

    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static String random(HostileInputTest.Context ctx) {
        return java.util.UUID.randomUUID().toString();
    }

    /** The table. Path parameters of own resources are random ids (the attackers own none worth changing). */
    static List<Route> all() {
        List<Route> routes = new ArrayList<>();
        Credential customer = Credential.CUSTOMER;
        Credential session = Credential.SESSION;
        Credential admin = Credential.ADMIN;
        Credential sessionOrTestKey = Credential.SESSION_OR_TEST_KEY;

        // ---- catalog-service
        routes.add(route("GET", "/v1/services", Credential.NONE).build());
        routes.add(route("GET", "/v1/services/area-codes", Credential.NONE).query("mode", "enum")
                .query("service", "text").build());
        routes.add(route("GET", "/v1/services/quote", Credential.NONE).query("service", "text").query("mode", "enum")
                .query("days", "int").query("custom_area_code", "boolean").build());
        routes.add(route("POST", "/v1/admin/numbers", admin).refuseOnly()
                .json(ctx -> map("gateway_id", ctx.modemC.id(), "numbers", List.of(ctx.freshNumber())),
                        of("gateway_id", Type.UUID), of("numbers", Type.STRING_ARRAY), text("invalid"))
                .build());
        routes.add(route("GET", "/v1/admin/numbers", admin).query("area_code", "text").query("state", "enum")
                .query("after", "text").query("limit", "int").build());
        routes.add(route("DELETE", "/v1/admin/numbers/{number}", admin).refuseOnly()
                .path("number", ctx -> "+1999555" + String.format("%04d", ctx.random.nextInt(10000))).build());
        routes.add(route("GET", "/v1/admin/numbers/{number}/health", admin)
                .path("number", ctx -> ctx.modemCNumber).build());
        // the cursor is an opaque id: any integer may be one, so only odd values are generated for it
        routes.add(route("GET", "/v1/admin/numbers/retirements", admin).query("before", "text")
                .query("limit", "int").build());
        routes.add(route("DELETE", "/v1/admin/numbers/{number}/retirements/{service}", admin).refuseOnly()
                .path("number", ctx -> "+1999555" + String.format("%04d", ctx.random.nextInt(10000)))
                .path("service", ctx -> "4").build());
        routes.add(route("PUT", "/v1/admin/services/{id}", admin).refuseOnly()
                .json(ctx -> map("name", "Telegram", "price_cents", 70, "active", true), text("name"),
                        of("price_cents", Type.INTEGER), of("active", Type.BOOLEAN))
                .path("id", ctx -> "4").build());

        // ---- wallet-service
        routes.add(route("POST", "/v1/auth/signup", Credential.NONE)
                .json(ctx -> map("email", "hostile-" + ctx.random.nextInt(1_000_000_000) + "@e2e.example.com",
                        "password", "correct-horse-hostile-battery"), text("email"), text("password"))
                .build());
        routes.add(route("POST", "/v1/auth/login", Credential.NONE)
                .json(ctx -> map("email", ctx.attacker().email, "password", "not-the-password-" + ctx.random.nextInt()),
                        text("email"), text("password"))
                .build());
        routes.add(route("POST", "/v1/auth/logout", session).refuseOnly().build());
        routes.add(route("POST", "/v1/auth/logout-all", session).refuseOnly().build());
        routes.add(route("GET", "/v1/account", session).build());
        routes.add(route("POST", "/v1/account/password", session).refuseOnly()
                .json(ctx -> map("current_password", "not-the-password", "new_password",
                        "another-horse-battery-staple"), text("current_password"), text("new_password"))
                .build());
        routes.add(route("GET", "/v1/api-keys", session).build());
        routes.add(route("POST", "/v1/api-keys", session).json(ctx -> map("name", "hostile key"), text("name"))
                .build());
        routes.add(route("DELETE", "/v1/api-keys/{id}", session).refuseOnly().path("id", HostileRoutes::random)
                .victim("id", ctx -> ctx.victimKeyId).build());
        routes.add(route("GET", "/v1/wallet", session).build());
        routes.add(route("GET", "/v1/wallet/ledger", session).query("limit", "int").query("before", "uuid").build());
        routes.add(route("POST", "/v1/wallet/deposits", session).refuseOnly()
                .json(ctx -> map("amount_cents", 500, "method", "card"), of("amount_cents", Type.INTEGER),
                        text("method"))
                .build());
        routes.add(route("GET", "/v1/wallet/deposits/{id}", session).path("id", HostileRoutes::random)
                .victim("id", ctx -> ctx.victimDepositId).build());
        routes.add(route("POST", "/v1/wallet/deposits/webhooks/{provider}", Credential.SIGNATURE).refuseOnly()
                .json(ctx -> map("type", "payment.succeeded", "reference", "sbx_" + random(ctx), "amount_cents", 500),
                        text("type"), text("reference"), of("amount_cents", Type.INTEGER))
                .path("provider", ctx -> "sandbox").build());
        // the sandbox wallet: a test key's (a session reads its customer's sandbox, a live key is 403); a top-up adds
        // test money, so only refusals
        routes.add(route("GET", "/v1/sandbox/wallet", sessionOrTestKey).build());
        routes.add(route("POST", "/v1/sandbox/wallet/top-up", Credential.TEST_KEY).refuseOnly()
                .json(ctx -> map("amount_cents", 500), of("amount_cents", Type.INTEGER)).build());
        routes.add(route("GET", "/v1/admin/accounts", admin).query("email", "text").query("after", "uuid")
                .query("limit", "int").build());
        routes.add(route("GET", "/v1/admin/accounts/{id}/ledger", admin).query("limit", "int")
                .query("before", "uuid").path("id", ctx -> ctx.attacker().id).build());
        routes.add(route("POST", "/v1/admin/accounts/{id}/credits", admin).refuseOnly()
                .json(ctx -> map("amount_cents", 100, "reason", "hostile"), of("amount_cents", Type.SIGNED_INTEGER),
                        text("reason"))
                .path("id", ctx -> ctx.attacker().id).build());
        // support tickets: a session's own (another customer's is 404); opening one changes nothing the suite checks
        // (beyond 20 not closed it is 422), replies and closes aim at random ids (404) or the victim's ticket
        routes.add(route("POST", "/v1/support/tickets", session)
                .json(ctx -> map("subject", "hostile ticket", "body", "hostile\nticket"), text("subject"), text("body"))
                .build());
        routes.add(route("GET", "/v1/support/tickets", session).query("limit", "int").query("before", "uuid").build());
        routes.add(route("GET", "/v1/support/tickets/{id}", session).path("id", HostileRoutes::random)
                .victim("id", ctx -> ctx.victimTicketId).build());
        routes.add(route("POST", "/v1/support/tickets/{id}/messages", session).refuseOnly()
                .json(ctx -> map("body", "hostile reply"), text("body")).path("id", HostileRoutes::random)
                .victim("id", ctx -> ctx.victimTicketId).build());
        routes.add(route("POST", "/v1/support/tickets/{id}/close", session).refuseOnly()
                .path("id", HostileRoutes::random).victim("id", ctx -> ctx.victimTicketId).build());
        // the operators' side: the queues, and any ticket by id (random ids: those that write only refuse)
        routes.add(route("GET", "/v1/admin/support/tickets", admin).query("status", "enum").query("limit", "int")
                .query("before", "uuid").build());
        routes.add(route("GET", "/v1/admin/support/tickets/{id}", admin).path("id", HostileRoutes::random).build());
        routes.add(route("POST", "/v1/admin/support/tickets/{id}/messages", admin).refuseOnly()
                .json(ctx -> map("body", "hostile answer"), text("body")).path("id", HostileRoutes::random).build());
        routes.add(route("POST", "/v1/admin/support/tickets/{id}/close", admin).refuseOnly()
                .path("id", HostileRoutes::random).build());

        // ---- verification-service
        // the SMS-Activate compatible API answers in its protocol's words (HTTP 200: BAD_KEY, BAD_SERVICE, …) whatever
        // the parameters, its key being a parameter (Credential.NONE): hostile values must never fail and never buy
        for (String method : List.of("GET", "POST")) {
            routes.add(route(method, "/stubs/handler_api.php", Credential.NONE).query("api_key", "text")
                    .query("action", "text").query("service", "text").query("country", "text")
                    .query("maxPrice", "text").query("id", "text").query("status", "text").build());
        }
        routes.add(route("POST", "/v1/verifications", customer).refuseOnly()
                .json(ctx -> map("service", 4), of("service", Type.INTEGER), text("area_code")).build());
        routes.add(route("GET", "/v1/verifications", customer).query("tab", "enum").query("before", "uuid")
                .query("limit", "int").build());
        routes.add(route("GET", "/v1/verifications/{id}", customer).path("id", HostileRoutes::random)
                .victim("id", ctx -> ctx.victimVerificationId).build());
        routes.add(route("POST", "/v1/verifications/{id}/cancel", customer).refuseOnly()
                .path("id", HostileRoutes::random).victim("id", ctx -> ctx.victimVerificationId).build());
        routes.add(route("POST", "/v1/verifications/{id}/another-code", customer).refuseOnly()
                .path("id", HostileRoutes::random).victim("id", ctx -> ctx.victimVerificationId).build());
        routes.add(route("POST", "/v1/verifications/{id}/report", customer).refuseOnly()
                .json(ctx -> map("reason", "hostile"), text("reason")).path("id", HostileRoutes::random)
                .victim("id", ctx -> ctx.victimVerificationId).build());

        // ---- rental-service
        routes.add(route("POST", "/v1/rentals", customer).refuseOnly()
                .json(ctx -> map("service", 1, "days", 7), of("service", Type.INTEGER), of("days", Type.INTEGER),
                        text("area_code"))
                .build());
        routes.add(route("GET", "/v1/rentals", customer).query("tab", "enum").query("before", "uuid")
                .query("limit", "int").build());
        routes.add(route("GET", "/v1/rentals/{id}", customer).path("id", HostileRoutes::random)
                .victim("id", ctx -> ctx.victimRentalId).build());
        routes.add(route("GET", "/v1/rentals/{id}/messages", customer).query("before", "uuid").query("limit", "int")
                .path("id", HostileRoutes::random).victim("id", ctx -> ctx.victimRentalId).build());
        routes.add(route("POST", "/v1/rentals/{id}/cancel", customer).refuseOnly().path("id", HostileRoutes::random)
                .victim("id", ctx -> ctx.victimRentalId).build());
        routes.add(route("POST", "/v1/rentals/{id}/report", customer).refuseOnly()
                .json(ctx -> map("reason", "hostile"), text("reason")).path("id", HostileRoutes::random)
                .victim("id", ctx -> ctx.victimRentalId).build());

        // ---- sms-ingest-service
        routes.add(route("POST", "/v1/admin/gateways", admin).json(ctx -> map("name", "hostile modem"), text("name"))
                .build());
        routes.add(route("GET", "/v1/admin/gateways", admin).build());
        routes.add(route("GET", "/v1/admin/gateways/{id}/messages", admin).query("before", "uuid")
                .query("limit", "int").path("id", ctx -> ctx.modemC.id()).build());
        routes.add(route("POST", "/v1/admin/gateways/{id}/rotate", admin).refuseOnly()
                .path("id", HostileRoutes::random).build());
        Function<HostileInputTest.Context, Map<String, Object>> sms = ctx -> map("to", ctx.modemCNumber, "from",
                "+15550001111", "text", "hostile " + ctx.random.nextInt(1_000_000));
        // control characters in what a modem reports are removed, not refused (the SMS is not the modem's to fix)
        Field[] smsFields = {text("to"), lenient("from"), lenient("text"), lenient("gateway_message_id"),
                of("received_at", Type.TIMESTAMP), lenient("udh")};
        routes.add(route("POST", "/v1/ingest/messages", Credential.GATEWAY).json(sms, smsFields).build());
        routes.add(route("POST", "/v1/ingest/messages/batch", Credential.GATEWAY)
                .body(BodyKind.JSON_ARRAY, sms, smsFields).build());
        routes.add(route("POST", "/v1/ingest/android-sms-gateway/{gatewayId}", Credential.SIGNATURE).refuseOnly()
                .json(ctx -> map("event", "sms:received", "id", random(ctx), "payload",
                        map("message", "hostile", "phoneNumber", "+15550001111", "receivedAt",
                                "2026-01-01T00:00:00Z")),
                        text("event"), text("id"))
                .path("gatewayId", ctx -> ctx.modemC.id()).query("to", "text").build());
        routes.add(route("POST", "/v1/ingest/jasmin", Credential.GATEWAY)
                .body(BodyKind.FORM, ctx -> map("id", "hostile-" + ctx.random.nextInt(1_000_000), "from",
                        "+15550001111", "to", ctx.modemCNumber, "coding", "0", "content", "hostile"),
                        lenient("id"), lenient("from"), text("to"), of("coding", Type.INTEGER), lenient("content"),
                        lenient("binary"))
                .build());
        // the sandbox's simulated SMS, to a live number: a test key's valid request is refused too (422), so nothing
        // ever reaches a number
        routes.add(route("POST", "/v1/sandbox/sms", Credential.TEST_KEY)
                .json(ctx -> map("to", ctx.modemCNumber, "from", "Telegram", "text",
                        "Your Telegram code: " + ctx.random.nextInt(100_000)), text("to"), text("from"), text("text"))
                .build());
        routes.add(route("POST", "/v1/ingest/kannel", Credential.GATEWAY)
                .body(BodyKind.RAW_TEXT, ctx -> map("text", "hostile " + ctx.random.nextInt(1_000_000)),
                        lenient("text"))
                .build());

        // ---- webhook-service
        // the webhook routes: a session manages the live account's endpoints, a test key its sandbox's
        routes.add(route("POST", "/v1/webhooks", sessionOrTestKey).refuseOnly()
                .json(ctx -> map("url", "https://hooks.example.com/fetchsms", "events", List.of("sms.received")),
                        text("url"), of("events", Type.STRING_ARRAY))
                .build());
        routes.add(route("GET", "/v1/webhooks", sessionOrTestKey).build());
        routes.add(route("DELETE", "/v1/webhooks/{id}", sessionOrTestKey).refuseOnly().path("id", HostileRoutes::random)
                .victim("id", ctx -> ctx.victimWebhookId).build());
        routes.add(route("POST", "/v1/webhooks/{id}/rotate-secret", sessionOrTestKey).refuseOnly()
                .path("id", HostileRoutes::random).victim("id", ctx -> ctx.victimWebhookId).build());
        routes.add(
                route("POST", "/v1/webhooks/{id}/test", sessionOrTestKey).refuseOnly().path("id", HostileRoutes::random)
                        .victim("id", ctx -> ctx.victimWebhookId).build());
        routes.add(route("GET", "/v1/webhooks/{id}/deliveries", sessionOrTestKey).path("id", HostileRoutes::random)
                .victim("id", ctx -> ctx.victimWebhookId).build());
        routes.add(route("POST", "/v1/webhooks/deliveries/{id}/retry", sessionOrTestKey).refuseOnly()
                .path("id", HostileRoutes::random).victim("id", ctx -> ctx.victimDeliveryId).build());
        // the account event stream: a request that succeeds is a stream that stays open, so only refusals
        routes.add(route("GET", "/v1/events", customer).refuseOnly().build());

        // ---- the gateway's own routes
        routes.add(route("GET", "/openapi", Credential.NONE).build());
        routes.add(route("GET", "/openapi/{service}", Credential.NONE).path("service", ctx -> "wallet").build());
        routes.add(route("GET", "/openapi.json", Credential.NONE).build());
        routes.add(route("GET", "/openapi.yaml", Credential.NONE).build());
        routes.add(route("GET", "/docs", Credential.NONE).build());
        routes.add(route("GET", "/docs/style.css", Credential.NONE).build());
        routes.add(route("GET", "/q/health", Credential.NONE).build());
        routes.add(route("GET", "/q/health/live", Credential.NONE).build());
        routes.add(route("GET", "/q/health/ready", Credential.NONE).build());
        return routes;
    }

    /** The routes the gateway answers itself (not in any service's OpenAPI document). */
    static final Set<String> GATEWAY_OWN = Set.of("GET /openapi", "GET /openapi/{service}", "GET /openapi.json",
            "GET /openapi.yaml", "GET /docs", "GET /docs/style.css", "GET /q/health", "GET /q/health/live",
            "GET /q/health/ready");
}
