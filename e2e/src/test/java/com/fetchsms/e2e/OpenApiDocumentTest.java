package com.fetchsms.e2e;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashSet;
import java.lang.reflect.Modifier;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.MethodInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.response.Response;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * The gateway's OpenAPI document of the whole public API ({@code GET /openapi.json}), built from the running services:
 * a standard validator accepts it; it holds exactly the JAX-RS routes of every service that are not {@code /internal}
 * or {@code /q} (read from the compiled resources with Jandex, so a route added without being routed or documented
 * fails here), each with the security its {@code @RolesAllowed} enforces and every error answer as
 * {@code {"detail"}}; docs/api.md describes exactly its operations; {@code GET /docs} renders it under a strict
 * Content-Security-Policy.
 */
@Order(70)
class OpenApiDocumentTest extends E2eTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The modules whose JAX-RS routes are the public API. Not the dashboard: its resources are HTML pages under /app,
     * with no OpenAPI document (fetchsms.gateway.services.dashboard.api-document=false), so not in /openapi.json.
     */
    static final List<String> SERVICES = List.of("catalog-service", "wallet-service", "verification-service",
            "rental-service", "sms-ingest-service", "webhook-service");
    private static final Map<String, DotName> HTTP_METHODS = Map.of(
            "GET", DotName.createSimple("jakarta.ws.rs.GET"), "POST", DotName.createSimple("jakarta.ws.rs.POST"),
            "PUT", DotName.createSimple("jakarta.ws.rs.PUT"), "DELETE", DotName.createSimple("jakarta.ws.rs.DELETE"),
            "PATCH", DotName.createSimple("jakarta.ws.rs.PATCH"));
    private static final DotName PATH = DotName.createSimple("jakarta.ws.rs.Path");
    private static final DotName ROLES_ALLOWED = DotName.createSimple("jakarta.annotation.security.RolesAllowed");
    private static final DotName SECURITY_REQUIREMENT = DotName.createSimple(
            "org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement");
    private static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "patch");

    static String json;
    static JsonNode document;

    /**
     * A JAX-RS route of a service: method and path template, the roles it allows (empty: no bearer credential), and
     * the OpenAPI security requirement its resource declares itself (sms-ingest's gateway token, the sandbox SMS's API
     * key), if any.
     */
    record JaxRsRoute(String service, String key, List<String> roles, String declaredScheme) {
    }

    @BeforeAll
    static void fetch() throws IOException {
        json = World.anonymous().get(world().stack.baseUrl + "/openapi.json").then().statusCode(200)
                .contentType("application/json").extract().asString();
        document = JSON.readTree(json);
        // left for people to read after a run: the document of the whole public API as the build's services give it
        Files.writeString(world().stack.root.resolve("e2e/target/openapi.json"), json);
    }

    @Test
    @Order(1)
    void aStandardValidatorAcceptsTheDocumentInJsonAndYaml() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
        assertTrue(result.getMessages() == null || result.getMessages().isEmpty(), "/openapi.json: "
                + result.getMessages());
        assertTrue(result.getOpenAPI().getOpenapi().startsWith("3."), result.getOpenAPI().getOpenapi());

        String yaml = World.anonymous().get(world().stack.baseUrl + "/openapi.yaml").then().statusCode(200)
                .contentType(containsString("yaml")).extract().asString();
        SwaggerParseResult fromYaml = new OpenAPIV3Parser().readContents(yaml, null, options);
        assertTrue(fromYaml.getMessages() == null || fromYaml.getMessages().isEmpty(), "/openapi.yaml: "
                + fromYaml.getMessages());
        assertEquals(result.getOpenAPI().getPaths().keySet(), fromYaml.getOpenAPI().getPaths().keySet());

        JsonNode schemas = document.path("components").path("schemas");
        assertFalse(schemas.has("JsonNodeType"), "a JsonNode body is any JSON, not Jackson's bean");
        assertTrue(schemas.path("VerificationView").path("properties").has("cost_cents"),
                "schema properties are snake_case, as the JSON is: " + schemas.path("VerificationView"));
    }

    @Test
    @Order(2)
    void everyPublicJaxRsRouteIsDocumentedAndNothingElse() throws IOException {
        Set<String> routes = new TreeSet<>();
        jaxRsRoutes().forEach(route -> routes.add(route.key()));
        Set<String> documented = documentedOperations().keySet();
        Set<String> missing = new TreeSet<>(routes);
        missing.removeAll(documented);
        Set<String> extra = new TreeSet<>(documented);
        extra.removeAll(routes);
        assertTrue(missing.isEmpty(), "public routes missing from /openapi.json (route them in the gateway's "
                + "application.properties, or fix the service's document): " + missing);
        assertTrue(extra.isEmpty(), "documented operations that no service declares: " + extra);
        assertTrue(routes.size() > 40, "the scan found the resources: " + routes.size());
    }

    @Test
    @Order(3)
    void everyOperationRequiresTheCredentialItsRolesAllow() throws IOException {
        Map<String, JsonNode> operations = documentedOperations();
        List<String> wrong = new ArrayList<>();
        for (JaxRsRoute route : jaxRsRoutes()) {
            JsonNode operation = operations.get(route.key());
            if (operation == null) {
                continue; // reported by everyPublicJaxRsRouteIsDocumentedAndNothingElse
            }
            Map<String, List<String>> security = new TreeMap<>();
            operation.path("security").forEach(requirement -> requirement.fields().forEachRemaining(scheme -> {
                List<String> scopes = new ArrayList<>();
                scheme.getValue().forEach(scope -> scopes.add(scope.asText()));
                security.put(scheme.getKey(), scopes);
            }));
            Map<String, List<String>> expected = new TreeMap<>();
            if ("apiKey".equals(route.declaredScheme())) {
                // a sandbox route: it names the key it takes (a test key), its roles only let a session be told so
                expected.put("apiKey", List.of());
            } else if (route.roles().contains("api")) {
                expected.put("apiKey", List.of());
                expected.put("session", List.of("user"));
            } else if (route.roles().contains("admin")) {
                expected.put("session", List.of("admin"));
            } else if (route.roles().contains("user")) {
                expected.put("session", List.of("user"));
            } else if (route.declaredScheme() != null) {
                expected.put(route.declaredScheme(), List.of()); // sms-ingest checks a modem gateway's token itself
            }
            if (!expected.equals(security)) {
                wrong.add(route.key() + " allows " + route.roles() + " but documents " + security);
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertEquals(Set.of("apiKey", "session", "gatewayToken"), fieldNames(document.path("components")
                .path("securitySchemes")));
    }

    @Test
    @Order(4)
    void everyErrorAnswerIsTheSharedDetailSchema() {
        JsonNode error = document.path("components").path("schemas").path("Error");
        assertEquals("string", error.path("properties").path("detail").path("type").asText());
        List<String> wrong = new ArrayList<>();
        documentedOperations().forEach((key, operation) -> operation.path("responses").fields()
                .forEachRemaining(response -> {
                    if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                        String ref = response.getValue().path("content").path("application/json").path("schema")
                                .path("$ref").asText();
                        if (!ref.equals("#/components/schemas/Error")) {
                            wrong.add(key + " " + response.getKey());
                        }
                    }
                }));
        assertTrue(wrong.isEmpty(), "error answers without the {\"detail\"} schema: " + wrong);
    }

    @Test
    @Order(5)
    void theApiReferenceInDocsDescribesExactlyTheDocumentedOperations() throws IOException {
        String reference = Files.readString(world().stack.root.resolve("docs/api.md"));
        Set<String> described = new TreeSet<>();
        Matcher heading = Pattern.compile("(?m)^#{2,4} `(GET|POST|PUT|PATCH|DELETE) (/[^`\\s]*)`").matcher(reference);
        while (heading.find()) {
            described.add(heading.group(1) + " " + heading.group(2));
        }
        Set<String> documented = documentedOperations().keySet();
        Set<String> undescribed = new TreeSet<>(documented);
        undescribed.removeAll(described);
        Set<String> stale = new TreeSet<>(described);
        stale.removeAll(documented);
        assertTrue(undescribed.isEmpty(), "operations without a heading \"### `METHOD /path`\" in docs/api.md: "
                + undescribed);
        assertTrue(stale.isEmpty(), "docs/api.md describes operations the API does not have: " + stale);
        assertFalse(Pattern.compile("\\]\\((https?:)?//").matcher(reference).find(), "no link outside the repository");
    }

    @Test
    @Order(6)
    void theReferencePageIsServedByTheGatewayUnderAStrictPolicy() {
        Response page = World.anonymous().get(world().stack.baseUrl + "/docs");
        page.then().statusCode(200).contentType(containsString("text/html"));
        String policy = page.header("Content-Security-Policy");
        assertTrue(policy != null && policy.contains("default-src 'none'") && !policy.contains("unsafe"), policy);
        String html = page.asString();
        assertFalse(html.toLowerCase().contains("<script"), "no script on the page");
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "nothing from another host");
        documentedOperations().keySet().forEach(key -> assertTrue(html.contains("<code>" + key + "</code>"),
                key));
        Matcher stylesheet = Pattern.compile("<link rel=\"stylesheet\" href=\"(/[^\"]+)\"").matcher(html);
        assertTrue(stylesheet.find(), "the page's stylesheet");
        World.anonymous().get(world().stack.baseUrl + stylesheet.group(1)).then().statusCode(200)
                .contentType(containsString("text/css"));
    }

    // ------------------------------------------------------------------------------------------------------------

    /** {@code "GET /v1/services"} → operation, from the merged document. */
    static Map<String, JsonNode> documentedOperations() {
        Map<String, JsonNode> operations = new TreeMap<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields()
                .forEachRemaining(method -> {
                    if (OPERATIONS.contains(method.getKey())) {
                        operations.put(method.getKey().toUpperCase() + " " + path.getKey(), method.getValue());
                    }
                }));
        return operations;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * Every service's JAX-RS routes outside {@code /internal} and {@code /q}, read from its compiled classes: the
     * resource's own methods and those it inherits (the purchase routes of {@code common.purchase.PurchaseResource},
     * read from the common module's classes), an overriding method in place of the one it overrides.
     */
    static List<JaxRsRoute> jaxRsRoutes() throws IOException {
        List<JaxRsRoute> routes = new ArrayList<>();
        Path common = world().stack.root.resolve("platform/common/target/classes");
        for (String service : SERVICES) {
            Index index = index(world().stack.root.resolve(service).resolve("target/classes"), common);
            for (AnnotationInstance annotation : index.getAnnotations(PATH)) {
                if (annotation.target().kind() != AnnotationTarget.Kind.CLASS
                        || Modifier.isAbstract(annotation.target().asClass().flags())) {
                    continue;
                }
                ClassInfo resource = annotation.target().asClass();
                Set<String> seen = new HashSet<>();
                for (ClassInfo declaring = resource; declaring != null; declaring = declaring.superName() == null
                        ? null
                        : index.getClassByName(declaring.superName())) {
                    for (MethodInfo method : declaring.methods()) {
                        if (!seen.add(method.name() + method.parameterTypes())) {
                            continue; // overridden by a subclass, whose method was read already
                        }
                        routes.addAll(routesOf(service, resource, declaring, annotation, method));
                    }
                }
            }
        }
        return routes;
    }

    private static List<JaxRsRoute> routesOf(String service, ClassInfo resource, ClassInfo declaring,
            AnnotationInstance classPath, MethodInfo method) {
        List<JaxRsRoute> routes = new ArrayList<>();
        for (Map.Entry<String, DotName> http : HTTP_METHODS.entrySet()) {
            if (!method.hasDeclaredAnnotation(http.getValue())) {
                continue;
            }
            AnnotationInstance sub = method.declaredAnnotation(PATH);
            String path = join(classPath.value().asString(), sub == null ? "" : sub.value().asString());
            if (path.equals("/internal") || path.startsWith("/internal/") || path.equals("/q")
                    || path.startsWith("/q/")) {
                continue;
            }
            AnnotationInstance roles = firstOf(method, declaring, resource, ROLES_ALLOWED);
            List<String> allowed = roles == null ? List.of() : List.of(roles.value().asStringArray());
            AnnotationInstance declared = firstOf(method, declaring, resource, SECURITY_REQUIREMENT);
            routes.add(new JaxRsRoute(service, http.getKey() + " " + path, allowed,
                    declared == null ? null : declared.value("name").asString()));
        }
        return routes;
    }

    /** The annotation on the method, else on the resource class, else on the class that declares the method. */
    private static AnnotationInstance firstOf(MethodInfo method, ClassInfo declaring, ClassInfo resource,
            DotName name) {
        AnnotationInstance found = method.declaredAnnotation(name);
        if (found == null) {
            found = resource.declaredAnnotation(name);
        }
        return found != null ? found : declaring.declaredAnnotation(name);
    }

    private static String join(String base, String sub) {
        String path = ("/" + base + "/" + sub).replaceAll("/+", "/").replaceAll("\\{\\s*([^:}\\s]+)\\s*(:[^}]*)?}",
                "{$1}");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static Index index(Path... directories) throws IOException {
        Indexer indexer = new Indexer();
        for (Path classes : directories) {
            assertTrue(Files.isDirectory(classes), classes + " (the module is built before the e2e suite runs)");
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    try (InputStream in = Files.newInputStream(file)) {
                        indexer.index(in);
                    }
                }
            }
        }
        return indexer.complete();
    }
}
