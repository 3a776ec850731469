package com.fetchsms.common.openapi;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Paths;

/**
 * Keeps a service's OpenAPI document ({@code /q/openapi}) to its public routes: drops the internal service-to-service
 * API ({@code /internal/…}, never routed by the gateway) and Quarkus' own {@code /q/…}. Registered for every service
 * by {@code mp.openapi.filter} in fetchsms-common's configuration; applied when the document is built. The gateway
 * publishes the result at {@code /openapi/<service>} and merges every service's into {@code /openapi.json}.
 *
 * <p>
 * A body or field read as Jackson's {@code JsonNode} (validated field by field by the resource) is any JSON value, not
 * the bean smallrye-openapi would describe from {@code JsonNode}'s getters ({@code isArray}, {@code nodeType}, …): its
 * schema becomes the empty schema, and {@code JsonNodeType} goes.
 */
public class PublicRoutesFilter implements OASFilter {

    static final List<String> PRIVATE_ROOTS = List.of("/internal", "/q");
    static final String JSON_NODE = "JsonNode";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents();
        if (components != null && components.getSchemas() != null
                && components.getSchemas().containsKey(JSON_NODE)) {
            components.addSchema(JSON_NODE, OASFactory.createSchema()
                    .description("Any JSON value; the route checks it field by field and names the field it refuses"));
            components.removeSchema("JsonNodeType");
        }
        Paths paths = openAPI.getPaths();
        if (paths == null || paths.getPathItems() == null) {
            return;
        }
        for (String path : new ArrayList<>(paths.getPathItems().keySet())) {
            if (isPrivate(path)) {
                paths.removePathItem(path);
            }
        }
    }

    static boolean isPrivate(String path) {
        for (String root : PRIVATE_ROOTS) {
            if (path.equals(root) || path.startsWith(root + "/")) {
                return true;
            }
        }
        return false;
    }
}
