package com.fetchsms.wallet.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;

import com.fetchsms.wallet.domain.Account;
import com.fetchsms.wallet.domain.Session;
import com.fetchsms.wallet.service.AccountService;

import io.smallrye.mutiny.Uni;

/** Signup and login (no credential). */
@Path("/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {

    /** Body of signup and login. */
    public record EmailPassword(String email, String password) {
    }

    private final AccountService accounts;

    public AuthResource(AccountService accounts) {
        this.accounts = accounts;
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
}
