package com.fetchsms.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The API reference for people ({@code GET /docs}): HTML rendered on the gateway from the merged OpenAPI document, with
 * no script at all and one stylesheet served by the gateway itself ({@code /docs/style.css}), so it works under a
 * {@code Content-Security-Policy} that allows nothing else ({@link #CONTENT_SECURITY_POLICY}). For each operation:
 * who may call it, its parameters, its request body and its answers with their schemas and an example built from the
 * schema; then every schema.
 */
final class DocsPage {

    static final String PATH = "/docs";
    static final String STYLESHEET = PATH + "/style.css";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    static final String CSS = """
            body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 2rem; \
            color: #1b1b1b; line-height: 1.45; }
            h1 { margin-bottom: 0.2rem; }
            h2 { border-bottom: 1px solid #ccc; margin-top: 2.5rem; }
            h3 { font-family: ui-monospace, monospace; margin-top: 2rem; }
            .method { display: inline-block; min-width: 4.2rem; padding: 0 0.4rem; border-radius: 3px; color: #fff; \
            text-align: center; }
            .get { background: #2f6f9f; } .post { background: #3f7f3f; } .put { background: #8f6f1f; }
            .delete { background: #9f3f3f; } .patch { background: #6f3f8f; }
            table { border-collapse: collapse; margin: 0.5rem 0; width: 100%; }
            th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
            th { background: #f4f4f4; }
            code, pre { font-family: ui-monospace, monospace; font-size: 0.9em; }
            pre { background: #f6f6f6; padding: 0.6rem; overflow-x: auto; }
            .security { color: #555; }
            nav ul { columns: 2; }
            .description { white-space: pre-line; }
            """;

    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete", "head", "options",
            "trace");
    private static final String SCHEMA_REF = "#/components/schemas/";

    private final JsonObject document;
    private final JsonObject schemas;
    private final StringBuilder out = new StringBuilder();

    private DocsPage(JsonObject document) {
        this.document = document;
        this.schemas = document.getJsonObject("components", new JsonObject())
                .getJsonObject("schemas", new JsonObject());
    }

    static String render(JsonObject document) {
        return new DocsPage(document).page();
    }

    /** The operations in document order: {@code "GET /v1/services"} → operation. */
    static Map<String, JsonObject> operations(JsonObject document) {
        Map<String, JsonObject> operations = new LinkedHashMap<>();
        document.getJsonObject("paths", new JsonObject()).forEach(path -> {
            if (path.getValue() instanceof JsonObject item) {
                for (String method : METHODS) {
                    if (item.getValue(method) instanceof JsonObject operation) {
                        operations.put(method.toUpperCase() + " " + path.getKey(), operation);
                    }
                }
            }
        });
        return operations;
    }

    private String page() {
        JsonObject info = document.getJsonObject("info", new JsonObject());
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(escape(info.getString("title", "API"))).append("</title>\n")
                .append("<link rel=\"stylesheet\" href=\"").append(STYLESHEET).append("\">\n</head>\n<body>\n");
        out.append("<h1>").append(escape(info.getString("title", "API"))).append("</h1>\n<p>Version <code>")
                .append(escape(info.getString("version", ""))).append("</code>. The same description as OpenAPI: ")
                .append("<a href=\"/openapi.json\">/openapi.json</a>, <a href=\"/openapi.yaml\">/openapi.yaml</a>.")
                .append("</p>\n<p class=\"description\">").append(escape(info.getString("description", "")))
                .append("</p>\n");

        Map<String, JsonObject> operations = operations(document);
        out.append("<nav><h2>Routes</h2>\n<ul>\n");
        operations.forEach((key, operation) -> out.append("<li><a href=\"#").append(anchor(key)).append("\"><code>")
                .append(escape(key)).append("</code></a> ").append(escape(operation.getString("summary", "")))
                .append("</li>\n"));
        out.append("</ul></nav>\n");

        out.append("<h2>Authentication</h2>\n<table>\n<tr><th>Scheme</th><th>Kind</th><th>Description</th></tr>\n");
        document.getJsonObject("components", new JsonObject()).getJsonObject("securitySchemes", new JsonObject())
                .forEach(scheme -> {
                    JsonObject s = (JsonObject) scheme.getValue();
                    out.append("<tr><td><code>").append(escape(scheme.getKey())).append("</code></td><td>")
                            .append(escape(s.getString("type", "") + " " + s.getString("scheme", "")))
                            .append("</td><td>").append(escape(s.getString("description", ""))).append("</td></tr>\n");
                });
        out.append("</table>\n");

        out.append("<h2>Operations</h2>\n");
        operations.forEach(this::operation);

        out.append("<h2>Schemas</h2>\n");
        new TreeMap<>(schemas.getMap()).keySet().forEach(name -> {
            out.append("<h3 id=\"schema-").append(escape(name)).append("\">").append(escape(name)).append("</h3>\n");
            schemaTable(schemas.getJsonObject(name));
            out.append("<p>Example:</p>\n<pre>").append(escape(pretty(example(schemas.getJsonObject(name), Set.of()))))
                    .append("</pre>\n");
        });
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private void operation(String key, JsonObject operation) {
        String method = key.substring(0, key.indexOf(' '));
        String path = key.substring(key.indexOf(' ') + 1);
        out.append("<h3 id=\"").append(anchor(key)).append("\"><span class=\"method ")
                .append(method.toLowerCase()).append("\">").append(method).append("</span> ").append(escape(path))
                .append("</h3>\n");
        if (operation.containsKey("summary")) {
            out.append("<p>").append(escape(operation.getString("summary"))).append("</p>\n");
        }
        if (operation.containsKey("description")) {
            out.append("<p class=\"description\">").append(escape(operation.getString("description")))
                    .append("</p>\n");
        }
        out.append("<p class=\"security\">").append(escape(who(operation.getJsonArray("security", new JsonArray()))))
                .append(" Served by <code>").append(escape(operation.getString(OpenApiMerger.SERVICE_EXTENSION, "")))
                .append("</code>.</p>\n");

        JsonArray parameters = operation.getJsonArray("parameters", new JsonArray());
        if (!parameters.isEmpty()) {
            out.append("<h4>Parameters</h4>\n<table>\n<tr><th>Name</th><th>In</th><th>Type</th><th>Required</th>")
                    .append("<th>Description</th></tr>\n");
            for (Object p : parameters) {
                JsonObject parameter = (JsonObject) p;
                out.append("<tr><td><code>").append(escape(parameter.getString("name", ""))).append("</code></td><td>")
                        .append(escape(parameter.getString("in", ""))).append("</td><td>")
                        .append(type(parameter.getJsonObject("schema", new JsonObject()))).append("</td><td>")
                        .append(parameter.getBoolean("required", false) ? "yes" : "no").append("</td><td>")
                        .append(escape(parameter.getString("description", ""))).append("</td></tr>\n");
            }
            out.append("</table>\n");
        }

        JsonObject body = operation.getJsonObject("requestBody");
        if (body != null) {
            out.append("<h4>Request body</h4>\n");
            if (body.containsKey("description")) {
                out.append("<p>").append(escape(body.getString("description"))).append("</p>\n");
            }
            content(body.getJsonObject("content", new JsonObject()));
        }

        out.append("<h4>Responses</h4>\n<table>\n<tr><th>Status</th><th>Description</th><th>Body</th></tr>\n");
        operation.getJsonObject("responses", new JsonObject()).forEach(response -> {
            JsonObject r = (JsonObject) response.getValue();
            out.append("<tr><td>").append(escape(response.getKey())).append("</td><td>")
                    .append(escape(r.getString("description", ""))).append("</td><td>");
            JsonObject content = r.getJsonObject("content", new JsonObject());
            List<String> bodies = new ArrayList<>();
            content.forEach(media -> bodies.add("<code>" + escape(media.getKey()) + "</code> "
                    + type(((JsonObject) media.getValue()).getJsonObject("schema", new JsonObject()))));
            out.append(bodies.isEmpty() ? "none" : String.join("<br>", bodies)).append("</td></tr>\n");
        });
        out.append("</table>\n");
        JsonObject success = successContent(operation.getJsonObject("responses", new JsonObject()));
        if (success != null) {
            out.append("<p>Example answer:</p>\n<pre>").append(escape(pretty(example(success, Set.of()))))
                    .append("</pre>\n");
        }
    }

    private static JsonObject successContent(JsonObject responses) {
        for (String code : new TreeMap<>(responses.getMap()).keySet()) {
            if (code.startsWith("2") && responses.getValue(code) instanceof JsonObject response) {
                JsonObject json = response.getJsonObject("content", new JsonObject())
                        .getJsonObject("application/json");
                if (json != null && json.getJsonObject("schema") != null) {
                    return json.getJsonObject("schema");
                }
            }
        }
        return null;
    }

    private void content(JsonObject content) {
        content.forEach(media -> {
            JsonObject schema = ((JsonObject) media.getValue()).getJsonObject("schema", new JsonObject());
            out.append("<p><code>").append(escape(media.getKey())).append("</code>: ").append(type(schema))
                    .append("</p>\n");
            JsonObject resolved = resolve(schema);
            if (resolved.containsKey("properties")) {
                schemaTable(resolved);
            }
            if (media.getKey().contains("json")) {
                out.append("<p>Example:</p>\n<pre>").append(escape(pretty(example(schema, Set.of()))))
                        .append("</pre>\n");
            }
        });
    }

    private void schemaTable(JsonObject schema) {
        JsonObject properties = schema.getJsonObject("properties");
        if (properties == null || properties.isEmpty()) {
            out.append("<p>").append(type(schema)).append("</p>\n");
            return;
        }
        JsonArray required = schema.getJsonArray("required", new JsonArray());
        out.append("<table>\n<tr><th>Field</th><th>Type</th><th>Required</th><th>Description</th></tr>\n");
        properties.forEach(property -> {
            JsonObject p = property.getValue() instanceof JsonObject o ? o : new JsonObject();
            out.append("<tr><td><code>").append(escape(property.getKey())).append("</code></td><td>").append(type(p))
                    .append("</td><td>").append(required.contains(property.getKey()) ? "yes" : "no")
                    .append("</td><td>").append(escape(p.getString("description", ""))).append("</td></tr>\n");
        });
        out.append("</table>\n");
    }

    /** A short HTML description of a schema's type, linking to named schemas. */
    private String type(JsonObject schema) {
        String ref = schema.getString("$ref");
        if (ref != null && ref.startsWith(SCHEMA_REF)) {
            String name = ref.substring(SCHEMA_REF.length());
            return "<a href=\"#schema-" + escape(name) + "\">" + escape(name) + "</a>";
        }
        Object type = schema.getValue("type");
        String text;
        if ("array".equals(type)) {
            return "array of " + type(schema.getJsonObject("items", new JsonObject()));
        } else if (type instanceof JsonArray types) {
            List<String> names = new ArrayList<>();
            types.forEach(t -> names.add(String.valueOf(t)));
            text = String.join(" or ", names);
        } else if (type != null) {
            text = type.toString();
        } else if (schema.containsKey("oneOf") || schema.containsKey("anyOf")) {
            JsonArray options = schema.getJsonArray(schema.containsKey("oneOf") ? "oneOf" : "anyOf");
            List<String> names = new ArrayList<>();
            options.forEach(o -> names.add(type((JsonObject) o)));
            return String.join(" or ", names);
        } else {
            text = "any";
        }
        if (schema.containsKey("format")) {
            text += " (" + schema.getString("format") + ")";
        }
        if (schema.containsKey("enum")) {
            text += ": one of " + schema.getJsonArray("enum").encode();
        }
        return escape(text);
    }

    private JsonObject resolve(JsonObject schema) {
        String ref = schema.getString("$ref");
        if (ref != null && ref.startsWith(SCHEMA_REF)) {
            JsonObject target = schemas.getJsonObject(ref.substring(SCHEMA_REF.length()));
            return target == null ? new JsonObject() : target;
        }
        return schema;
    }

    /** An example value built from the schema (its own example when it has one); recursion stops at a cycle. */
    Object example(JsonObject schema, Set<String> seen) {
        String ref = schema.getString("$ref");
        if (ref != null && ref.startsWith(SCHEMA_REF)) {
            String name = ref.substring(SCHEMA_REF.length());
            if (seen.contains(name) || !(schemas.getValue(name) instanceof JsonObject target)) {
                return new JsonObject();
            }
            Set<String> deeper = new java.util.HashSet<>(seen);
            deeper.add(name);
            return example(target, deeper);
        }
        if (schema.containsKey("example")) {
            return schema.getValue("example");
        }
        if (schema.getValue("examples") instanceof JsonArray examples && !examples.isEmpty()) {
            return examples.getValue(0);
        }
        if (schema.getValue("enum") instanceof JsonArray values && !values.isEmpty()) {
            return values.getValue(0);
        }
        Object type = schema.getValue("type");
        if (type instanceof JsonArray types) {
            type = types.stream().filter(t -> !"null".equals(t)).findFirst().orElse("null");
        }
        if (schema.containsKey("properties") || "object".equals(type)) {
            JsonObject example = new JsonObject();
            schema.getJsonObject("properties", new JsonObject()).forEach(p -> example.put(p.getKey(),
                    p.getValue() instanceof JsonObject s ? example(s, seen) : null));
            return example;
        }
        String format = schema.getString("format", "");
        if ("array".equals(type)) {
            return new JsonArray().add(example(schema.getJsonObject("items", new JsonObject()), seen));
        }
        if ("integer".equals(type)) {
            return 0;
        }
        if ("number".equals(type)) {
            return 0.0;
        }
        if ("boolean".equals(type)) {
            return true;
        }
        if ("string".equals(type)) {
            return switch (format) {
                case "uuid" -> "3f2a8c1e-5b7d-4e9a-9c61-0d2b7a4f8e15";
                case "date-time" -> "2026-01-15T12:00:00Z";
                case "date" -> "2026-01-15";
                case "binary" -> "…";
                default -> "string";
            };
        }
        return null;
    }

    private static String pretty(Object example) {
        if (example instanceof JsonObject object) {
            return object.encodePrettily();
        }
        if (example instanceof JsonArray array) {
            return array.encodePrettily();
        }
        return Json.encode(example);
    }

    static String anchor(String key) {
        return "op-" + key.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static String who(JsonArray security) {
        if (security.isEmpty()) {
            return "Public: no credential.";
        }
        List<String> ways = new ArrayList<>();
        for (Object entry : security) {
            ((JsonObject) entry).forEach(scheme -> {
                JsonArray scopes = scheme.getValue() instanceof JsonArray a ? a : new JsonArray();
                String name = switch (scheme.getKey()) {
                    case OpenApiMerger.API_KEY -> "an API key";
                    case OpenApiMerger.SESSION -> scopes.contains("admin")
                            ? "a session of an admin"
                            : "a dashboard session";
                    case OpenApiMerger.GATEWAY_TOKEN -> "a modem gateway's token";
                    default -> scheme.getKey();
                };
                ways.add(name);
            });
        }
        return "Requires " + String.join(" or ", ways) + ".";
    }
}
