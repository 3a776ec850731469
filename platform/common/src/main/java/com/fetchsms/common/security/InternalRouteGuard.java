package com.fetchsms.common.security;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.fetchsms.common.client.InternalClients;
import com.fetchsms.common.client.ServicesConfig;
import com.fetchsms.common.error.ApiException;

import io.quarkus.runtime.Startup;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Closes the internal service-to-service API ({@code /internal/…}) to everyone but the platform's own services: a
 * request there answers 401 {@code {"detail": …}} unless its {@code FetchSMS-Service-Credential} header carries the
 * platform's service credential ({@code fetchsms.services.credential}, or one of
 * {@code fetchsms.services.previous-credentials} during a rotation), compared in constant time. Nothing else a caller
 * presents counts: a customer's API key or session token is not a service credential. The check runs twice:
 *
 * <ul>
 * <li>on the HTTP router, before any route, authentication or body parsing, for every path whose first segment is
 * {@code internal} (any letter case, matrix parameters, doubled slashes and dot segments folded);</li>
 * <li>on every JAX-RS resource method whose path template starts with {@code /internal}, after matching, so a spelling
 * of the path that the router's check would not recognise still cannot reach an internal resource.</li>
 * </ul>
 *
 * A service does not start without a credential of at least {@value #MIN_LENGTH} characters.
 */
@Startup
@ApplicationScoped
public class InternalRouteGuard {

    public static final String DETAIL = "This route is internal to the platform: a valid service credential is required";
    static final int MIN_LENGTH = 32;

    private final List<byte[]> accepted = new ArrayList<>();
    /** Whether each resource matched so far is internal: its annotations do not change, so they are read once. */
    private final Map<Resource, Boolean> internalResources = new ConcurrentHashMap<>();

    /** A resource method of a resource class (an inherited method is the same method in several classes). */
    private record Resource(Class<?> type, Method method) {
    }

    public InternalRouteGuard(ServicesConfig config) {
        accepted.add(digest(check(config.credential(), "fetchsms.services.credential")));
        for (String previous : config.previousCredentials().orElse(List.of())) {
            accepted.add(digest(check(previous, "fetchsms.services.previous-credentials")));
        }
    }

    private static String check(String credential, String property) {
        if (credential == null || credential.strip().length() < MIN_LENGTH) {
            throw new IllegalStateException(property + " must be a random secret of at least " + MIN_LENGTH
                    + " characters");
        }
        return credential.strip();
    }

    /** Whether {@code presented} is the platform's service credential (constant time, whatever its length). */
    public boolean accepts(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] candidate = digest(presented.strip());
        boolean match = false;
        for (byte[] credential : accepted) {
            match |= MessageDigest.isEqual(candidate, credential);
        }
        return match;
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_BODY_HANDLER + 1).handler(this::checkRoute);
    }

    private void checkRoute(RoutingContext rc) {
        if (!isInternal(rc.normalizedPath()) || accepts(rc.request().getHeader(InternalClients.CREDENTIAL_HEADER))) {
            rc.next();
            return;
        }
        rc.response().setStatusCode(401)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(new JsonObject().put("detail", DETAIL).toBuffer());
    }

    /** The same check on the matched resource method, whatever spelling of the path led there. */
    @ServerRequestFilter(preMatching = false)
    public void checkResource(ContainerRequestContext request, ResourceInfo resource) {
        boolean internal = internalResources.computeIfAbsent(
                new Resource(resource.getResourceClass(), resource.getResourceMethod()),
                r -> isInternalResource(r.type(), r.method()));
        if (internal && !accepts(request.getHeaderString(InternalClients.CREDENTIAL_HEADER))) {
            throw ApiException.unauthorized(DETAIL);
        }
    }

    static boolean isInternalResource(Class<?> type, Method method) {
        Path classPath = type == null ? null : type.getAnnotation(Path.class);
        Path methodPath = method == null ? null : method.getAnnotation(Path.class);
        return isInternal((classPath == null ? "" : classPath.value()) + "/"
                + (methodPath == null ? "" : methodPath.value()));
    }

    /**
     * Whether the first non-empty segment of {@code path} (as the router normalised it: unreserved characters decoded,
     * dot segments removed) is {@code internal}, ignoring letter case, matrix parameters ({@code ;…}) and {@code .}
     * segments.
     */
    static boolean isInternal(String path) {
        if (path == null) {
            return false;
        }
        for (String segment : path.split("/")) {
            int matrix = segment.indexOf(';');
            String name = (matrix >= 0 ? segment.substring(0, matrix) : segment).toLowerCase(Locale.ROOT);
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            return name.equals("internal");
        }
        return false;
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
