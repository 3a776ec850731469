package com.fetchsms.common.security;

import java.lang.reflect.Method;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * Refuses a live key on {@link SessionOrTestKey} resources: 403 {@code "/v1/webhooks takes a dashboard session or a
 * test key (fsk_test_…): a live API key cannot manage webhook endpoints"}; a session or a test key passes, no
 * credential is 401. Runs before the rate limit and before the body is read, so a refused request is refused whatever
 * it carries.
 */
public class SessionOrTestKeyFilter {

    static final String TAKES = " takes a dashboard session or a test key (fsk_test_…): a live API key cannot ";

    private final CurrentIdentityAssociation identities;

    public SessionOrTestKeyFilter(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    @SessionOrTestKey
    @ServerRequestFilter(preMatching = false, priority = Priorities.AUTHORIZATION)
    public Uni<Void> sessionOrTestKey(ContainerRequestContext request, ResourceInfo resource) {
        return CallerGate.refuseUnless(identities, caller -> !caller.viaApiKey() || caller.sandbox(),
                caller -> detail(resource.getResourceClass(), resource.getResourceMethod(),
                        request.getUriInfo().getPath()));
    }

    /**
     * The refusal's detail: the resource's path (its class's {@code @Path}, else the request's path) and what the
     * annotation says a live key cannot do.
     */
    static String detail(Class<?> type, Method method, String requestPath) {
        SessionOrTestKey marked = method == null ? null : method.getAnnotation(SessionOrTestKey.class);
        if (marked == null && type != null) {
            marked = type.getAnnotation(SessionOrTestKey.class);
        }
        Path path = type == null ? null : type.getAnnotation(Path.class);
        String route = path != null ? path.value() : requestPath;
        return (route.startsWith("/") ? "" : "/") + route + TAKES
                + (marked == null ? SessionOrTestKey.ANY_SETTINGS : marked.value());
    }
}
