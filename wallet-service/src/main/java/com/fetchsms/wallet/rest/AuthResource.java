package com.fetchsms.wallet.rest;

import java.time.Instant;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.ResponseStatus;

import com.fetchsms.common.validation.BadRequest;
import com.fetchsms.common.validation.CleanText;
import com.fetchsms.common.validation.Required;
import com.fetchsms.wallet.domain.Account;
import com.fetchsms.wallet.domain.Session;
import com.fetchsms.wallet.service.AccountService;
import com.fetchsms.wallet.service.ClientAddressResolver;
import com.fetchsms.wallet.service.SessionService;

import io.quarkus.security.identity.SecurityIdentity;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Signup and login (no credential), both throttled per client address (the TCP peer, or what a trusted proxy
 * forwarded: {@link ClientAddressResolver}) and per account; sign-out (the session being signed out).
 */
@Path("/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {

    /** Body of signup and login. */
    public record EmailPassword(
            @Required @CleanText String email,
            @Required(allowBlank = true) @CleanText String password) {
    }

    @Inject
    SecurityIdentity session;

    private final AccountService accounts;
    private final ClientAddressResolver clients;
    private final SessionService sessionService;

    public AuthResource(AccountService accounts, ClientAddressResolver clients, SessionService sessionService) {
        this.accounts = accounts;
        this.clients = clients;
        this.sessionService = sessionService;
    }

    @POST
    @Path("/signup")
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "Account created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = Account.class)))
    public Uni<Account> signup(
            @Valid @NotNull(message = "A JSON body is required: \\{email, password\\}", payload = BadRequest.class) EmailPassword body,
            @Context HttpServerRequest request) {
        return accounts.signup(body.email(), body.password(), client(request));
    }

    @POST
    @Path("/login")
    public Uni<Session> login(
            @Valid @NotNull(message = "A JSON body is required: \\{email, password\\}", payload = BadRequest.class) EmailPassword body,
            @Context HttpServerRequest request) {
        return accounts.login(body.email(), body.password(), client(request));
    }

    private String client(HttpServerRequest request) {
        SocketAddress peer = request.remoteAddress();
        return clients.resolve(peer == null ? null : peer.hostAddress(), request.headers().getAll("X-Forwarded-For"));
    }

    /** Signs out the presenting session: its token is refused here at once, everywhere within a hop. */
    @POST
    @Path("/logout")
    @Consumes(MediaType.WILDCARD) // no body
    @RolesAllowed("user")
    @ResponseStatus(204)
    @APIResponse(responseCode = "204", description = "This session is revoked")
    public Uni<Void> logout() {
        JsonWebToken token = Inputs.sessionToken(session);
        UUID sessionId = Inputs.sessionId(token);
        return sessionService.signOut(Inputs.accountId(session), sessionId,
                Instant.ofEpochSecond(token.getExpirationTime()));
    }

    /** Signs out every session of the account issued until now (this one included). */
    @POST
    @Path("/logout-all")
    @Consumes(MediaType.WILDCARD) // no body
    @RolesAllowed("user")
    @ResponseStatus(204)
    @APIResponse(responseCode = "204", description = "Every session of the account is revoked")
    public Uni<Void> logoutAll() {
        Inputs.sessionToken(session);
        return sessionService.signOutEverywhere(Inputs.accountId(session));
    }
}
