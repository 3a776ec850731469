package com.fetchsms.wallet.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fetchsms.wallet.domain.Account;
import com.fetchsms.wallet.service.AccountService;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** The caller's account (dashboard session). */
@Path("/v1/account")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("user")
public class AccountResource {

    @Inject
    SecurityIdentity session;

    private final AccountService accounts;

    public AccountResource(AccountService accounts) {
        this.accounts = accounts;
    }

    @GET
    public Uni<Account> get() {
        return accounts.account(Inputs.accountId(session));
    }
}
