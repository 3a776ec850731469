package com.fetchsms.wallet.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fetchsms.common.contract.SessionIntrospection;
import com.fetchsms.common.contract.SessionIntrospectionRequest;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.wallet.service.SessionService;

import io.smallrye.mutiny.Uni;

/**
 * Internal session check for the other services' credential views while they are stale (never routed by the
 * gateway): whether a session was signed out, answered from this service's database. The bodies are the shared records
 * of {@code common.contract} ({@link SessionIntrospectionRequest}, {@link SessionIntrospection}).
 */
@Path("/internal/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InternalSessionResource {

    private final SessionService sessions;

    public InternalSessionResource(SessionService sessions) {
        this.sessions = sessions;
    }

    @POST
    @Path("/introspect")
    public Uni<SessionIntrospection> introspect(SessionIntrospectionRequest body) {
        Inputs.body(body, "{account_id, session_id, issued_at}");
        if (body.accountId() == null) {
            throw ApiException.badRequest("'account_id' is required");
        }
        return sessions.revoked(body.accountId(), body.sessionId(), body.issuedAt()).map(SessionIntrospection::new);
    }
}
