package com.fetchsms.common.security;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * Refuses every caller but a test key on {@link SandboxOnly} resources: a live key or a dashboard session is 403
 * {@code "… takes a test key (fsk_test_…)"} (sandbox and live data never mix), no credential 401. Runs before the
 * rate limit and before the body is read, so a refused request is refused whatever it carries.
 */
public class SandboxOnlyFilter {

    private final CurrentIdentityAssociation identities;

    public SandboxOnlyFilter(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    @SandboxOnly
    @ServerRequestFilter(preMatching = false, priority = Priorities.AUTHORIZATION)
    public Uni<Void> sandboxOnly(ContainerRequestContext request) {
        return CallerGate.refuseUnless(identities, Caller::sandbox, caller -> request.getMethod() + " /"
                + request.getUriInfo().getPath().replaceFirst("^/", "") + " takes a test key (fsk_test_…): "
                + (caller.viaApiKey() ? "a live key" : "a dashboard session") + " acts on the live world");
    }
}
