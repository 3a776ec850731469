package com.fetchsms.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** One document from the services' documents: schemas, references, security and errors. */
class OpenApiMergerTest {

    private static final String REF = "#/components/schemas/";

    private static JsonObject ref(String name) {
        return new JsonObject().put("$ref", REF + name);
    }

    private static JsonObject json(JsonObject schema) {
        return new JsonObject().put("application/json", new JsonObject().put("schema", schema));
    }

    private static JsonObject operation(JsonObject answer, JsonArray security) {
        JsonObject operation = new JsonObject().put("summary", "An operation").put("responses", new JsonObject()
                .put("200", new JsonObject().put("description", "OK").put("content", json(answer))));
        if (security != null) {
            operation.put("security", security);
        }
        return operation;
    }

    private static JsonArray roles(String... roles) {
        return new JsonArray().add(new JsonObject().put(OpenApiMerger.SMALLRYE_SCHEME, new JsonArray(List.of(roles))));
    }

    private static JsonObject object(String... fields) {
        JsonObject properties = new JsonObject();
        for (int i = 0; i < fields.length; i += 2) {
            properties.put(fields[i], fields[i + 1].startsWith("#")
                    ? new JsonObject().put("$ref", fields[i + 1])
                    : new JsonObject().put("type", fields[i + 1]));
        }
        return new JsonObject().put("type", "object").put("properties", properties);
    }

    /** catalog and wallet as smallrye-openapi writes them, already reduced to their routed paths. */
    static SortedMap<String, JsonObject> documents() {
        JsonObject uuid = new JsonObject().put("type", "string").put("format", "uuid");
        JsonObject catalog = new JsonObject().put("openapi", "3.1.0")
                .put("info", new JsonObject().put("title", "FetchSMS catalog-service").put("version", "1.0.0"))
                .put("paths", new JsonObject()
                        .put("/v1/services", new JsonObject().put("get", operation(new JsonObject().put("type",
                                "array").put("items", ref("Item")), null)))
                        .put("/v1/admin/numbers/{number}", new JsonObject().put("delete", new JsonObject()
                                .put("parameters", new JsonArray().add(new JsonObject().put("name", "number")
                                        .put("in", "path").put("required", true)
                                        .put("schema", new JsonObject().put("type", "string"))))
                                .put("responses", new JsonObject().put("204", new JsonObject()
                                        .put("description", "No Content")))
                                .put("security", roles("admin")))))
                .put("components", new JsonObject()
                        .put("schemas", new JsonObject()
                                .put("Item", object("id", REF + "UUID", "price_cents", "integer"))
                                .put("UUID", uuid)
                                .put("Error", object("message", "string"))
                                .put("Unused", object("x", "string")))
                        .put("securitySchemes", new JsonObject().put(OpenApiMerger.SMALLRYE_SCHEME,
                                new JsonObject().put("type", "http").put("scheme", "bearer"))));
        JsonObject wallet = new JsonObject().put("openapi", "3.1.0")
                .put("info", new JsonObject().put("title", "FetchSMS wallet-service").put("version", "1.0.0"))
                .put("paths", new JsonObject()
                        .put("/v1/wallet", new JsonObject().put("get", operation(ref("Wallet"), roles("user"))))
                        .put("/v1/rentals", new JsonObject()
                                .put("post", operation(ref("Item"), roles("user", "api"))
                                        .put("requestBody", new JsonObject().put("content", json(ref("Error")))))))
                .put("components", new JsonObject().put("schemas", new JsonObject()
                        .put("Wallet", object("items", REF + "Item", "owner", REF + "UUID"))
                        .put("Item", object("id", REF + "UUID", "amount_cents", "integer"))
                        .put("UUID", uuid)
                        .put("Error", object("code", "integer"))));
        SortedMap<String, JsonObject> documents = new TreeMap<>();
        documents.put("wallet", wallet);
        documents.put("catalog", catalog);
        return documents;
    }

    @Test
    void schemasThatCollideAreRenamedPerServiceAndTheirReferencesFollow() {
        JsonObject merged = OpenApiMerger.merge(documents(), "1.0.0");
        JsonObject schemas = merged.getJsonObject("components").getJsonObject("schemas");
        assertEquals(List.of("Error", "UUID", "Wallet", "catalog.Item", "wallet.Error", "wallet.Item"),
                new ArrayList<>(schemas.fieldNames()), "identical UUID kept once, differing Item and a service's "
                        + "Error renamed, unreached schemas (catalog's Error, Unused) dropped");
        assertEquals(REF + "catalog.Item", merged.getJsonObject("paths").getJsonObject("/v1/services")
                .getJsonObject("get").getJsonObject("responses").getJsonObject("200").getJsonObject("content")
                .getJsonObject("application/json").getJsonObject("schema").getJsonObject("items")
                .getString("$ref"));
        assertEquals(REF + "wallet.Item", schemas.getJsonObject("Wallet").getJsonObject("properties")
                .getJsonObject("items").getString("$ref"), "references inside schemas are rewritten too");
        assertEquals(REF + "UUID", schemas.getJsonObject("wallet.Item").getJsonObject("properties")
                .getJsonObject("id").getString("$ref"));
        assertEquals(REF + "wallet.Error", merged.getJsonObject("paths").getJsonObject("/v1/rentals")
                .getJsonObject("post").getJsonObject("requestBody").getJsonObject("content")
                .getJsonObject("application/json").getJsonObject("schema").getString("$ref"));
        assertEquals(new JsonArray().add("detail"), schemas.getJsonObject("Error").getJsonArray("required"));
        assertEquals(merged, OpenApiMerger.merge(documents(), "1.0.0"), "the same input gives the same document");
    }

    @Test
    void securityFollowsTheRolesTheRoutesAllow() {
        JsonObject paths = OpenApiMerger.merge(documents(), "1.0.0").getJsonObject("paths");
        assertEquals(new JsonArray(), paths.getJsonObject("/v1/services").getJsonObject("get")
                .getJsonArray("security"), "the catalog is public");
        assertEquals(new JsonArray().add(new JsonObject().put("session", new JsonArray().add("admin"))),
                paths.getJsonObject("/v1/admin/numbers/{number}").getJsonObject("delete").getJsonArray("security"));
        assertEquals(new JsonArray().add(new JsonObject().put("session", new JsonArray().add("user"))),
                paths.getJsonObject("/v1/wallet").getJsonObject("get").getJsonArray("security"));
        assertEquals(new JsonArray().add(new JsonObject().put("apiKey", new JsonArray()))
                .add(new JsonObject().put("session", new JsonArray().add("user"))),
                paths.getJsonObject("/v1/rentals").getJsonObject("post").getJsonArray("security"));
        assertEquals(new JsonArray().add(new JsonObject().put("gatewayToken", new JsonArray())),
                OpenApiMerger.security(new JsonArray().add(new JsonObject().put("gatewayToken", new JsonArray()))));
    }

    /** A sandbox route lets sessions in only to refuse them: it names the apiKey scheme, and only a key is documented. */
    @Test
    void aRouteNamingTheApiKeySchemeTakesOnlyAnApiKeyWhateverItsRoles() {
        JsonArray keyOnly = new JsonArray().add(new JsonObject().put("apiKey", new JsonArray()));
        for (JsonArray declared : List.of(
                roles("user", "api").copy().add(new JsonObject().put("apiKey", new JsonArray())),
                new JsonArray().add(new JsonObject().put("apiKey", new JsonArray())).addAll(roles("user", "api")),
                new JsonArray().add(new JsonObject().put("apiKey", new JsonArray())))) {
            assertEquals(keyOnly, OpenApiMerger.security(declared), declared.encode());
        }
    }

    @Test
    void everyErrorAnswerIsTheSharedDetailShape() {
        JsonObject paths = OpenApiMerger.merge(documents(), "1.0.0").getJsonObject("paths");
        JsonObject delete = paths.getJsonObject("/v1/admin/numbers/{number}").getJsonObject("delete")
                .getJsonObject("responses");
        assertEquals(List.of("204", "400", "401", "403", "404", "5XX"), List.copyOf(delete.fieldNames()));
        JsonObject publicGet = paths.getJsonObject("/v1/services").getJsonObject("get").getJsonObject("responses");
        assertEquals(List.of("200", "5XX"), List.copyOf(publicGet.fieldNames()), "no input, no credential: no 4xx");
        for (String code : List.of("400", "401", "403", "404", "5XX")) {
            assertEquals(REF + "Error", delete.getJsonObject(code).getJsonObject("content")
                    .getJsonObject("application/json").getJsonObject("schema").getString("$ref"), code);
        }
    }

    @Test
    void theMergedDocumentIsValidOpenApi() {
        JsonObject merged = OpenApiMerger.merge(documents(), "1.0.0");
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(merged.encode(), null, options);
        assertTrue(result.getMessages() == null || result.getMessages().isEmpty(), String.valueOf(result
                .getMessages()));
        assertEquals(4, result.getOpenAPI().getPaths().size());
        SwaggerParseResult fromYaml = new OpenAPIV3Parser().readContents(Yaml.write(merged), null, options);
        assertTrue(fromYaml.getMessages() == null || fromYaml.getMessages().isEmpty(),
                String.valueOf(fromYaml.getMessages()));
        assertEquals(result.getOpenAPI(), fromYaml.getOpenAPI(), "the YAML says the same as the JSON");
    }

    @Test
    void theReferencePageListsEveryOperationWithoutScripts() {
        JsonObject merged = OpenApiMerger.merge(documents(), "1.0.0");
        merged.getJsonObject("info").put("description", "<script>alert(1)</script> & more");
        String page = DocsPage.render(merged);
        for (String operation : List.of("GET /v1/services", "DELETE /v1/admin/numbers/{number}", "GET /v1/wallet",
                "POST /v1/rentals")) {
            assertTrue(page.contains("id=\"" + DocsPage.anchor(operation) + "\""), operation);
        }
        assertFalse(page.toLowerCase().contains("<script"), "no script, and text is escaped");
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
        assertTrue(page.contains("Requires a session of an admin."));
        assertTrue(page.contains("&quot;price_cents&quot; : 0"), "examples are built from the schemas");
        assertFalse(page.contains("http://") || page.contains("https://"), "nothing from outside the host");
    }
}
