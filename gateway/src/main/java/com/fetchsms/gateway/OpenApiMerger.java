package com.fetchsms.gateway;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Builds the one OpenAPI document of the public API ({@code GET /openapi.json}) from the services' own documents, each
 * already reduced to the paths the route table sends to it ({@link OpenApiDocuments#publicPart}).
 *
 * <ul>
 * <li>Paths: every service's routed paths, sorted; each operation names its service in {@code x-fetchsms-service}.</li>
 * <li>Schemas: only those the public paths reach (directly or through other schemas). A name that two services
 * define differently is renamed {@code <service>.<Name>} in every service that defines it (the same name with the
 * same definition is kept once), and that service's {@code $ref}s are rewritten; {@code Error} is the gateway's
 * own and a service's {@code Error} is always renamed.</li>
 * <li>Security: the services declare roles with {@code @RolesAllowed}, which smallrye-openapi writes as a requirement
 * of its single JWT scheme with the roles as scopes. They become: {@code api} among the roles → API key or
 * dashboard session; {@code admin} → session with the admin role; otherwise a session. An operation without a
 * requirement is public ({@code security: []}); a requirement naming one of the gateway's other schemes
 * ({@code gatewayToken}) is kept. A route that names the {@code apiKey} scheme itself takes only an API key (the
 * sandbox's routes, for a test key: a session reaches them to be told so): that requirement replaces the one of its
 * roles.</li>
 * <li>Errors: every 4xx/5xx response is the shared {@code Error} schema {@code {"detail": "…"}}; secured operations
 * answer 401 and 403, operations with input 400, operations with path parameters 404, and every operation may get
 * the gateway's 502/503/504 ({@code 5XX}).</li>
 * </ul>
 */
final class OpenApiMerger {

    static final String OPENAPI_VERSION = "3.1.0";
    static final String ERROR = "Error";
    static final String API_KEY = "apiKey";
    static final String SESSION = "session";
    static final String GATEWAY_TOKEN = "gatewayToken";
    /** The name smallrye-openapi gives the scheme it adds for {@code @RolesAllowed} (quarkus-smallrye-jwt). */
    static final String SMALLRYE_SCHEME = "SecurityScheme";
    static final String SERVICE_EXTENSION = "x-fetchsms-service";

    private static final String SCHEMA_REF = "#/components/schemas/";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    static final String DESCRIPTION = """
            FetchSMS rents US phone numbers to receive SMS: one-time verification codes for a service, or a number \
            for days. This is the whole public API, as the gateway routes it to the services that own each path.

            Authentication: purchase routes (verifications, rentals) take an API key (`Authorization: Bearer fsk_…`) \
            or a dashboard session token; account routes (wallet, API keys, password) take a session token only; \
            webhook endpoints take a session token or a test key, never a live key; admin routes take a session \
            token of an account with the admin role; the catalog is public. Modem gateways post received messages \
            with their own gateway token. A test key (`fsk_test_…`) buys from the sandbox (sandbox numbers, test \
            money) through the same routes, delivers simulated SMS to its sandbox numbers with POST \
            /v1/sandbox/sms, and manages the sandbox's own webhook endpoints.

            Errors: every 4xx and 5xx answer is JSON `{"detail": "…"}` naming what was wrong; a refused request \
            changes nothing. Purchases, deposits and operators' credits accept an `Idempotency-Key` header. The reference \
            in the repository's docs/api.md describes rate limits, pagination and each route in prose.""";

    private OpenApiMerger() {
    }

    /**
     * @param documents the services' public documents, by service name
     * @param version the version of the API (the services' own)
     */
    static JsonObject merge(SortedMap<String, JsonObject> documents, String version) {
        // 1. The schemas each service's public paths reach, with the service's definitions.
        Map<String, Map<String, JsonObject>> reached = new TreeMap<>();
        documents.forEach((service, document) -> reached.put(service, reachedSchemas(document)));

        // 2. Names defined differently by two services (or named Error) are renamed in each service defining them.
        Map<String, Map<String, JsonObject>> byName = new TreeMap<>();
        reached.forEach((service, schemas) -> schemas.forEach((name, schema) -> byName
                .computeIfAbsent(name, n -> new TreeMap<>()).put(service, schema)));
        Map<String, Map<String, String>> renames = new HashMap<>();
        JsonObject schemas = new JsonObject();
        byName.forEach((name, definitions) -> {
            JsonObject first = definitions.values().iterator().next();
            boolean shared = !name.equals(ERROR) && definitions.values().stream().allMatch(first::equals);
            if (shared) {
                return;
            }
            definitions.keySet().forEach(service -> renames.computeIfAbsent(service, s -> new HashMap<>())
                    .put(name, service + "." + name));
        });
        reached.forEach((service, defined) -> defined.forEach((name, schema) -> {
            String target = renames.getOrDefault(service, Map.of()).getOrDefault(name, name);
            schemas.put(target, rewriteRefs(schema, renames.getOrDefault(service, Map.of())));
        }));
        schemas.put(ERROR, errorSchema());

        // 3. Paths, sorted, with security and error responses.
        SortedMap<String, JsonObject> paths = new TreeMap<>();
        Set<String> tags = new TreeSet<>();
        documents.forEach((service, document) -> {
            Map<String, String> renamed = renames.getOrDefault(service, Map.of());
            document.getJsonObject("paths", new JsonObject()).forEach(entry -> {
                JsonObject item = (JsonObject) rewriteRefs(entry.getValue(), renamed);
                JsonObject operations = new JsonObject();
                new TreeMap<>(item.getMap()).keySet().forEach(key -> {
                    Object value = item.getValue(key);
                    if (METHODS.contains(key) && value instanceof JsonObject operation) {
                        operations.put(key, operation(service, entry.getKey(), operation));
                        operation.getJsonArray("tags", new JsonArray()).forEach(tag -> tags.add(tag.toString()));
                    } else {
                        operations.put(key, value);
                    }
                });
                paths.put(entry.getKey(), operations);
            });
        });
        JsonObject pathsObject = new JsonObject();
        paths.forEach(pathsObject::put);

        JsonArray tagList = new JsonArray();
        tags.forEach(tag -> tagList.add(new JsonObject().put("name", tag)));

        return new JsonObject()
                .put("openapi", OPENAPI_VERSION)
                .put("info", new JsonObject()
                        .put("title", "FetchSMS API")
                        .put("version", version)
                        .put("description", DESCRIPTION))
                .put("servers", new JsonArray().add(new JsonObject().put("url", "/")
                        .put("description", "This gateway: every path below is relative to the host serving this "
                                + "document")))
                .put("tags", tagList)
                .put("paths", pathsObject)
                .put("components", new JsonObject()
                        .put("schemas", sorted(schemas))
                        .put("securitySchemes", securitySchemes()));
    }

    /** The version the services agree on, or the sorted distinct versions joined by {@code " / "}. */
    static String version(Map<String, JsonObject> documents) {
        Set<String> versions = new TreeSet<>();
        documents.values().forEach(d -> versions.add(d.getJsonObject("info", new JsonObject())
                .getString("version", "unknown")));
        return versions.isEmpty() ? "unknown" : String.join(" / ", versions);
    }

    static JsonObject errorSchema() {
        return new JsonObject()
                .put("type", "object")
                .put("description", "Every error answer: what was wrong, naming the field when a field was.")
                .put("required", new JsonArray().add("detail"))
                .put("properties", new JsonObject().put("detail", new JsonObject().put("type", "string")
                        .put("examples", new JsonArray().add("service is required")))
                        .put("price_cents", new JsonObject().put("type", "integer").put("description",
                                "Only on the 409 of a purchase refused for its max_price_cents: the current price, "
                                        + "in cents")));
    }

    static JsonObject securitySchemes() {
        return new JsonObject()
                .put(API_KEY, new JsonObject().put("type", "http").put("scheme", "bearer")
                        .put("bearerFormat", "fsk_…")
                        .put("description", "An API key, `Authorization: Bearer fsk_…`, issued by POST /v1/api-keys "
                                + "(shown once). Accepted on the purchase routes (verifications, rentals) and the "
                                + "event stream; account and admin routes answer an API key with 403. A test key "
                                + "(`fsk_test_…`) acts on the sandbox (sandbox numbers, test money); the sandbox's "
                                + "own routes (`/v1/sandbox/…`) take only a test key."))
                .put(SESSION, new JsonObject().put("type", "http").put("scheme", "bearer")
                        .put("bearerFormat", "JWT")
                        .put("description", "A dashboard session token, `Authorization: Bearer <token>`, from POST "
                                + "/v1/auth/login (or POST /v1/account/password). Scopes name the role required: "
                                + "`user` (any account) or `admin`. Logging out or changing the password revokes "
                                + "it."))
                .put(GATEWAY_TOKEN, new JsonObject().put("type", "http").put("scheme", "bearer")
                        .put("description", "A modem gateway's token, issued by POST /v1/admin/gateways: "
                                + "`Authorization: Bearer <token>`, or as the password of `Authorization: Basic`, "
                                + "or as the `token` query parameter for software that can only be given a URL."));
    }

    private static JsonObject operation(String service, String path, JsonObject source) {
        JsonObject operation = source.copy();
        JsonArray security = security(operation.getJsonArray("security"));
        operation.put("security", security);
        boolean secured = !security.isEmpty();
        JsonObject responses = operation.getJsonObject("responses", new JsonObject());
        boolean hasInput = operation.containsKey("requestBody")
                || !operation.getJsonArray("parameters", new JsonArray()).isEmpty();
        if (hasInput) {
            responses.put("400", responses.getValue("400", new JsonObject().put("description", "Bad Request")));
        }
        if (secured) {
            responses.put("401", responses.getValue("401", new JsonObject().put("description", "Not Authorized")));
            responses.put("403", responses.getValue("403", new JsonObject().put("description", "Not Allowed")));
        }
        if (path.contains("{")) {
            responses.put("404", responses.getValue("404", new JsonObject().put("description", "Not Found")));
        }
        responses.put("5XX", new JsonObject().put("description", "The service failed (502), is not available (503) "
                + "or did not answer in time (504)"));
        JsonObject answered = new JsonObject();
        new TreeMap<>(responses.getMap()).keySet().forEach(code -> {
            Object value = responses.getValue(code);
            if (value instanceof JsonObject response && (code.startsWith("4") || code.startsWith("5"))) {
                JsonObject error = response.copy();
                error.put("content", new JsonObject().put("application/json", new JsonObject().put("schema",
                        new JsonObject().put("$ref", SCHEMA_REF + ERROR))));
                answered.put(code, error);
            } else {
                answered.put(code, value);
            }
        });
        operation.put("responses", answered);
        operation.put(SERVICE_EXTENSION, service);
        return operation;
    }

    /** The requirement as the route enforces it (see the class comment). */
    static JsonArray security(JsonArray declared) {
        JsonArray result = new JsonArray();
        if (declared == null) {
            return result;
        }
        boolean keyOnly = declared.stream()
                .anyMatch(entry -> entry instanceof JsonObject requirement && requirement.containsKey(API_KEY));
        Set<String> added = new LinkedHashSet<>();
        for (Object entry : declared) {
            if (!(entry instanceof JsonObject requirement)) {
                continue;
            }
            requirement.forEach(scheme -> {
                if (scheme.getKey().equals(API_KEY)) {
                    add(result, added, API_KEY, List.of());
                } else if (scheme.getKey().equals(SMALLRYE_SCHEME) && keyOnly) {
                    return; // the route named the credential it takes: its roles only let the others be refused
                } else if (scheme.getKey().equals(SMALLRYE_SCHEME)) {
                    List<String> roles = new ArrayList<>();
                    if (scheme.getValue() instanceof JsonArray scopes) {
                        scopes.forEach(role -> roles.add(String.valueOf(role)));
                    }
                    if (roles.contains("api")) {
                        add(result, added, API_KEY, List.of());
                        add(result, added, SESSION, List.of("user"));
                    } else if (roles.contains("admin")) {
                        add(result, added, SESSION, List.of("admin"));
                    } else {
                        add(result, added, SESSION, List.of("user"));
                    }
                } else if (scheme.getKey().equals(GATEWAY_TOKEN)) {
                    add(result, added, GATEWAY_TOKEN, List.of());
                }
            });
        }
        return result;
    }

    private static void add(JsonArray result, Set<String> added, String scheme, List<String> scopes) {
        if (added.add(scheme)) {
            result.add(new JsonObject().put(scheme, new JsonArray(new ArrayList<>(scopes))));
        }
    }

    /** The component schemas that the document's paths reach, transitively. */
    static Map<String, JsonObject> reachedSchemas(JsonObject document) {
        JsonObject defined = document.getJsonObject("components", new JsonObject())
                .getJsonObject("schemas", new JsonObject());
        Map<String, JsonObject> reached = new TreeMap<>();
        Deque<String> pending = new ArrayDeque<>();
        collectRefs(document.getJsonObject("paths", new JsonObject()), pending);
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (reached.containsKey(name) || !(defined.getValue(name) instanceof JsonObject schema)) {
                continue;
            }
            reached.put(name, schema);
            collectRefs(schema, pending);
        }
        return reached;
    }

    private static void collectRefs(Object node, Deque<String> into) {
        if (node instanceof JsonObject object) {
            object.forEach(entry -> {
                if (entry.getKey().equals("$ref") && entry.getValue() instanceof String ref
                        && ref.startsWith(SCHEMA_REF)) {
                    into.add(ref.substring(SCHEMA_REF.length()));
                } else {
                    collectRefs(entry.getValue(), into);
                }
            });
        } else if (node instanceof JsonArray array) {
            array.forEach(value -> collectRefs(value, into));
        }
    }

    /** A deep copy of {@code node} with {@code #/components/schemas/<old>} references renamed. */
    static Object rewriteRefs(Object node, Map<String, String> renames) {
        if (node instanceof JsonObject object) {
            JsonObject copy = new JsonObject();
            object.forEach(entry -> {
                if (entry.getKey().equals("$ref") && entry.getValue() instanceof String ref
                        && ref.startsWith(SCHEMA_REF)) {
                    String name = ref.substring(SCHEMA_REF.length());
                    copy.put("$ref", SCHEMA_REF + renames.getOrDefault(name, name));
                } else {
                    copy.put(entry.getKey(), rewriteRefs(entry.getValue(), renames));
                }
            });
            return copy;
        }
        if (node instanceof JsonArray array) {
            JsonArray copy = new JsonArray();
            array.forEach(value -> copy.add(rewriteRefs(value, renames)));
            return copy;
        }
        return node;
    }

    private static JsonObject rewriteRefs(JsonObject node, Map<String, String> renames) {
        return (JsonObject) rewriteRefs((Object) node, renames);
    }

    private static JsonObject sorted(JsonObject object) {
        JsonObject result = new JsonObject();
        new TreeMap<>(object.getMap()).keySet().forEach(key -> result.put(key, object.getValue(key)));
        return result;
    }
}
