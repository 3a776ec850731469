package com.fetchsms.wallet.rest;

import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import com.fetchsms.common.validation.TypeHint;
import com.fetchsms.wallet.domain.Debit;
import com.fetchsms.wallet.service.WalletService;

import io.smallrye.mutiny.Uni;

/**
 * Internal debit API for verification-service and rental-service (never routed by the gateway), step 4 of the purchase
 * saga. 201 when debited, 200 when the purchase already was (same account and amount); 402 insufficient balance, 404
 * unknown account, 409 the purchase was debited differently.
 */
@Path("/internal/debits")
@Produces(MediaType.APPLICATION_JSON)
public class InternalDebitResource {

    /** Body of {@code POST /internal/debits}; {@code purchase_id} is the verification or rental id. */
    public record DebitRequest(UUID purchaseId, UUID accountId, @TypeHint(TypeHint.CENTS) Long amountCents,
            String ref) {
    }

    private final WalletService wallets;

    public InternalDebitResource(WalletService wallets) {
        this.wallets = wallets;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Debit>> debit(DebitRequest body) {
        Inputs.body(body, "{purchase_id, account_id, amount_cents, ref?}");
        return wallets.debit(body.purchaseId(), body.accountId(), Inputs.cents(body.amountCents(), "amount_cents"),
                body.ref())
                .map(outcome -> RestResponse.status(
                        outcome.created() ? RestResponse.Status.CREATED : RestResponse.Status.OK, outcome.debit()));
    }
}
