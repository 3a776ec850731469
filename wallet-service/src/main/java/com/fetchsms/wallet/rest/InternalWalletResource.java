package com.fetchsms.wallet.rest;

import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;

import com.fetchsms.common.contract.Balance;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.wallet.service.WalletService;

import io.smallrye.mutiny.Uni;

/**
 * Internal balance look-up (never routed by the gateway): the SMS-Activate compatible API's {@code getBalance}, which
 * an API key may call although {@code GET /v1/wallet} is a dashboard route. 404 for an unknown account.
 */
@Path("/internal/wallets")
@Produces(MediaType.APPLICATION_JSON)
public class InternalWalletResource {

    private final WalletService wallets;

    public InternalWalletResource(WalletService wallets) {
        this.wallets = wallets;
    }

    @GET
    @Path("/{accountId}")
    public Uni<Balance> balance(@RestPath String accountId) {
        UUID account;
        try {
            account = UUID.fromString(accountId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Unknown account: " + accountId);
        }
        return wallets.walletOf(account).map(wallet -> new Balance(account, wallet.balanceCents(), wallet.currency()));
    }
}
