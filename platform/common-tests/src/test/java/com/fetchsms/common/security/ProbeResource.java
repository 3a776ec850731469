package com.fetchsms.common.security;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The test application's one route, guarded as the services guard their public API: API keys only
 * ({@link ApiKeyAuthenticationMechanism} on the {@link ApiKeyView}), under the per-credential rate limit
 * ({@link RateLimitFilter}). Answers the identity it served.
 */
@Path("/probe/limited")
@RateLimited
public class ProbeResource {

    private final SecurityIdentity identity;

    public ProbeResource(SecurityIdentity identity) {
        this.identity = identity;
    }

    @GET
    @RolesAllowed(Caller.ROLE_API)
    @Produces(MediaType.TEXT_PLAIN)
    public String whoAmI() {
        return identity.getPrincipal().getName();
    }
}
