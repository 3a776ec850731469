package com.fetchsms.wallet.rest;

import java.util.List;

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

import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fetchsms.common.input.IdempotencyKeys;
import com.fetchsms.common.json.Params;
import com.fetchsms.common.validation.BadRequest;
import com.fetchsms.common.validation.Required;
import com.fetchsms.common.validation.TypeHint;
import com.fetchsms.wallet.domain.Deposit;
import com.fetchsms.wallet.domain.DepositMethod;
import com.fetchsms.wallet.domain.LedgerItem;
import com.fetchsms.wallet.domain.Wallet;
import com.fetchsms.wallet.service.DepositService;
import com.fetchsms.wallet.service.WalletService;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** The caller's wallet: balance, ledger, deposits (dashboard session only). */
@Path("/v1/wallet")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("user")
public class WalletResource {

    /** {@code POST /v1/wallet/deposits} body; the amount's range is the deposit limits' (422 beyond them). */
    public record NewDeposit(
            @Required @TypeHint(TypeHint.CENTS) Long amountCents,
            @Required DepositMethod method) {
    }

    @Inject
    SecurityIdentity session;

    private final WalletService wallets;
    private final DepositService deposits;

    public WalletResource(WalletService wallets, DepositService deposits) {
        this.wallets = wallets;
        this.deposits = deposits;
    }

    @GET
    public Uni<Wallet> wallet() {
        return wallets.wallet(Inputs.accountId(session));
    }

    /** Newest first; a full page announces the next one in a {@code Link: <…>; rel="next"} header. */
    @GET
    @Path("/ledger")
    public Uni<RestResponse<List<LedgerItem>>> ledger(@RestQuery String limit, @RestQuery String before) {
        int size = Params.intInRange(limit, "limit", 50, 1, 200);
        return wallets.ledger(Inputs.accountId(session), Inputs.optionalUuid(before, "before"), size)
                .map(page -> Links.withNext(page, "/v1/wallet/ledger?limit=" + size + "&before="));
    }

    @POST
    @Path("/deposits")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, required = false, schema = @Schema(type = SchemaType.STRING), description = "Makes a retry safe: the same key with the same request answers the first result again, with a different request 422")
    @APIResponse(responseCode = "201", description = "Deposit started", content = @Content(mediaType = "application/json", schema = @Schema(implementation = Deposit.class)))
    public Uni<Deposit> deposit(
            @Valid @NotNull(message = "A JSON body is required: \\{amount_cents, method\\}", payload = BadRequest.class) NewDeposit body,
            HttpServerRequest request) {
        return deposits.create(Inputs.accountId(session), body.amountCents(), body.method(),
                IdempotencyKeys.of(request));
    }

    @GET
    @Path("/deposits/{id}")
    public Uni<Deposit> getDeposit(@RestPath String id) {
        return deposits.get(Inputs.accountId(session), Inputs.pathId(id, "deposit"));
    }
}
