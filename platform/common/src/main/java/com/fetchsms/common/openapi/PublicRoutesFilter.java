package com.fetchsms.common.openapi;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Paths;

/**
 * Keeps a service's OpenAPI document ({@code /q/openapi}) to its public routes: drops the internal service-to-service
 * API ({@code /internal/…}, never routed by the gateway) and Quarkus' own {@code /q/…}. Registered for every service
 * by {@code mp.openapi.filter} in fetchsms-common's configuration; applied when the document is built. The gateway
 * publishes the result at {@code /openapi/<service>}.
 */
public class PublicRoutesFilter implements OASFilter {

    static final List<String> PRIVATE_ROOTS = List.of("/internal", "/q");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
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
