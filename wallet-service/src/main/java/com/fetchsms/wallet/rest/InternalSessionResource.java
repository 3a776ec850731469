package com.fetchsms.wallet.rest;

import java.time.Instant;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.wallet.service.SessionService;

import io.smallrye.mutiny.Uni;

/**
 * Internal session check for the other services' credential views while they are stale (never routed by the
 * gateway): whether a session was signed out, answered from this service's database.
 */
@Path("/internal/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InternalSessionResource {

    /** {@code POST /internal/sessions/introspect} body: {@code session_id} and {@code issued_at} may be null. */
    public record Introspect(UUID accountId, UUID sessionId, Instant issuedAt) {
    }

    /** The answer. */
    public record SessionStatus(boolean revoked) {
    }

    private final SessionService sessions;

    public InternalSessionResource(SessionService sessions) {
        this.sessions = sessions;
    }

    @POST
    @Path("/introspect")
    public Uni<SessionStatus> introspect(Introspect body) {
        Inputs.body(body, "{account_id, session_id, issued_at}");
        if (body.accountId() == null) {
            throw ApiException.badRequest("'account_id' is required");
        }
        return sessions.revoked(body.accountId(), body.sessionId(), body.issuedAt()).map(SessionStatus::new);
    }
}
