package com.fetchsms.wallet.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;

import com.fetchsms.wallet.domain.Account;
import com.fetchsms.wallet.domain.Session;
import com.fetchsms.wallet.service.AccountService;
import com.fetchsms.wallet.service.ClientAddressResolver;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Signup and login (no credential). Both are throttled per client address (the TCP peer, or what a trusted proxy
 * forwarded: {@link ClientAddressResolver}) and per account.
 */
@Path("/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {

    /** Body of signup and login. */
    public record EmailPassword(String email, String password) {
    }

    private final AccountService accounts;
    private final ClientAddressResolver clients;

    public AuthResource(AccountService accounts, ClientAddressResolver clients) {
        this.accounts = accounts;
        this.clients = clients;
    }

    @POST
    @Path("/signup")
    @ResponseStatus(201)
    public Uni<Account> signup(EmailPassword body, @Context HttpServerRequest request) {
        Inputs.body(body, "{email, password}");
        return accounts.signup(body.email(), body.password(), client(request));
    }

    @POST
    @Path("/login")
    public Uni<Session> login(EmailPassword body, @Context HttpServerRequest request) {
        Inputs.body(body, "{email, password}");
        return accounts.login(body.email(), body.password(), client(request));
    }

    private String client(HttpServerRequest request) {
        SocketAddress peer = request.remoteAddress();
        return clients.resolve(peer == null ? null : peer.hostAddress(), request.headers().getAll("X-Forwarded-For"));
    }
}
