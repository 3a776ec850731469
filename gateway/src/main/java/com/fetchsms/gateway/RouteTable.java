package com.fetchsms.gateway;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Path prefix → service name. A prefix matches a path equal to it or continuing with {@code /} (whole segments
 * only: {@code /v1/services} matches {@code /v1/services/quote} but not {@code /v1/servicesX}); the longest matching
 * prefix wins. Prefixes under {@code /internal} and {@code /q} are refused: those paths are never public; so is
 * {@code /openapi}, {@code /openapi.json}, {@code /openapi.yaml} and {@code /docs}, which the gateway answers itself (the
 * OpenAPI documents and the reference page).
 */
public final class RouteTable {

    /** One entry of the table. */
    public record Route(String prefix, String service) {
    }

    private static final List<String> FORBIDDEN_ROOTS = List.of("/internal", "/q", OpenApiDocuments.ROOT,
            OpenApiDocuments.MERGED_JSON, OpenApiDocuments.MERGED_YAML, DocsPage.PATH);

    /** Longest prefix first. */
    private final List<Route> routes;

    private RouteTable(List<Route> routes) {
        this.routes = routes;
    }

    /**
     * Builds the table from each service's prefixes.
     *
     * @throws IllegalArgumentException on a malformed, forbidden or duplicated prefix
     */
    public static RouteTable of(Map<String, List<String>> prefixesByService) {
        Map<String, String> owners = new HashMap<>();
        List<Route> routes = new ArrayList<>();
        prefixesByService.forEach((service, prefixes) -> {
            for (String raw : prefixes) {
                String prefix = raw.trim();
                validate(service, prefix);
                String previous = owners.putIfAbsent(prefix, service);
                if (previous != null) {
                    throw new IllegalArgumentException("Route prefix " + prefix + " is configured for both "
                            + previous + " and " + service);
                }
                routes.add(new Route(prefix, service));
            }
        });
        routes.sort(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed()
                .thenComparing(Route::prefix));
        return new RouteTable(List.copyOf(routes));
    }

    private static void validate(String service, String prefix) {
        if (!prefix.startsWith("/") || prefix.length() < 2 || prefix.endsWith("/") || prefix.contains("//")
                || prefix.contains("?") || prefix.contains("#") || prefix.contains("%")
                || !RequestPaths.isSafe(prefix)) {
            throw new IllegalArgumentException("Invalid route prefix '" + prefix + "' for " + service
                    + ": it must start with '/', not end with '/', and hold plain path segments only");
        }
        for (String root : FORBIDDEN_ROOTS) {
            if (matches(root, prefix.toLowerCase(Locale.ROOT)) || matches(prefix, root)) {
                throw new IllegalArgumentException("Route prefix " + prefix + " for " + service
                        + " overlaps " + root + ", which the gateway never routes to a service");
            }
        }
    }

    /** The route of {@code path} (a raw path, without query), if any. */
    public Optional<Route> resolve(String path) {
        for (Route route : routes) {
            if (matches(route.prefix(), path)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    public List<Route> routes() {
        return routes;
    }

    static boolean matches(String prefix, String path) {
        return path.startsWith(prefix)
                && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }
}
