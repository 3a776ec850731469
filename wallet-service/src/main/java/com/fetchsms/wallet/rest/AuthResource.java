package com.fetchsms.wallet.rest;

import java.time.Instant;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.ResponseStatus;

import com.fetchsms.wallet.domain.Account;
import com.fetchsms.wallet.domain.Session;
import com.fetchsms.wallet.service.AccountService;
import com.fetchsms.wallet.service.SessionService;

import io.quarkus.security.identity.SecurityIdentity;

import io.smallrye.mutiny.Uni;

/** Signup and login (no credential); sign-out (the session being signed out). */
@Path("/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {

    /** Body of signup and login. */
    public record EmailPassword(String email, String password) {
    }

    @Inject
    SecurityIdentity session;

    private final AccountService accounts;
    private final SessionService sessionService;

    public AuthResource(AccountService accounts, SessionService sessionService) {
        this.accounts = accounts;
        this.sessionService = sessionService;
    }

    @POST
    @Path("/signup")
    @ResponseStatus(201)
    public Uni<Account> signup(EmailPassword body) {
        Inputs.body(body, "{email, password}");
        return accounts.signup(body.email(), body.password());
    }

    @POST
    @Path("/login")
    public Uni<Session> login(EmailPassword body) {
        Inputs.body(body, "{email, password}");
        return accounts.login(body.email(), body.password());
    }

    /** Signs out the presenting session: its token is refused here at once, everywhere within a hop. */
    @POST
    @Path("/logout")
    @Consumes(MediaType.WILDCARD) // no body
    @RolesAllowed("user")
    @ResponseStatus(204)
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
    public Uni<Void> logoutAll() {
        Inputs.sessionToken(session);
        return sessionService.signOutEverywhere(Inputs.accountId(session));
    }
}
