package com.fetchsms.wallet.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fetchsms.common.validation.BadRequest;
import com.fetchsms.common.validation.CleanText;
import com.fetchsms.common.validation.Required;
import com.fetchsms.wallet.domain.Account;
import com.fetchsms.wallet.domain.Session;
import com.fetchsms.wallet.service.AccountService;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** The caller's account and its password (dashboard session; an API key is 403). */
@Path("/v1/account")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("user")
public class AccountResource {

    /** {@code POST /v1/account/password} body. */
    public record PasswordChange(
            @Required(allowBlank = true) @CleanText String currentPassword,
            @Required(allowBlank = true) @CleanText String newPassword) {
    }

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

    /**
     * 200 with a new session when changed: every session of the account, this one included, is signed out (whoever
     * knew the old password), and the caller goes on with the new one.
     */
    @POST
    @Path("/password")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Session> changePassword(
            @Valid @NotNull(message = "A JSON body is required: \\{current_password, new_password\\}", payload = BadRequest.class) PasswordChange body) {
        return accounts.changePassword(Inputs.accountId(session), body.currentPassword(), body.newPassword());
    }
}
