package com.fetchsms.wallet.rest;

import java.util.List;
import java.util.UUID;

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
import com.fetchsms.common.validation.CleanText;
import com.fetchsms.common.validation.Required;
import com.fetchsms.common.validation.TypeHint;
import com.fetchsms.wallet.domain.AccountLedgerItem;
import com.fetchsms.wallet.domain.AccountSummary;
import com.fetchsms.wallet.domain.Adjustment;
import com.fetchsms.wallet.service.AccountService;
import com.fetchsms.wallet.service.WalletService;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** Account administration (dashboard session of an admin). */
@Path("/v1/admin/accounts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class AdminAccountResource {

    /** {@code POST /v1/admin/accounts/{id}/credits} body; a negative amount takes money back. */
    public record Credit(
            @Required @TypeHint(TypeHint.CENTS) Long amountCents,
            @Required @CleanText(multiLine = true) String reason) {
    }

    @Inject
    SecurityIdentity session;

    private final AccountService accounts;
    private final WalletService wallets;

    public AdminAccountResource(AccountService accounts, WalletService wallets) {
        this.accounts = accounts;
        this.wallets = wallets;
    }

    /** Accounts whose email contains {@code email} (case-insensitive), by email; keyset-paginated by {@code after}. */
    @GET
    public Uni<RestResponse<List<AccountSummary>>> list(@RestQuery String email, @RestQuery String after,
            @RestQuery String limit) {
        int size = Params.intInRange(limit, "limit", 50, 1, 200);
        String filter = email == null || email.isBlank() ? null : email.trim();
        String next = "/v1/admin/accounts?limit=" + size
                + (filter == null
                        ? ""
                        : "&email=" + java.net.URLEncoder.encode(filter,
                                java.nio.charset.StandardCharsets.UTF_8))
                + "&after=";
        return accounts.search(filter, Inputs.optionalUuid(after, "after"), size)
                .map(page -> Links.withNext(page, next));
    }

    /**
     * One account's ledger, newest first: the customer's ledger with the reason of each adjustment; a full page
     * announces the next one in a {@code Link: <…>; rel="next"} header.
     */
    @GET
    @Path("/{id}/ledger")
    public Uni<RestResponse<List<AccountLedgerItem>>> ledger(@RestPath String id, @RestQuery String limit,
            @RestQuery String before) {
        UUID accountId = Inputs.pathId(id, "account");
        int size = Params.intInRange(limit, "limit", 50, 1, 200);
        return wallets.ledgerOf(accountId, Inputs.optionalUuid(before, "before"), size)
                .map(page -> Links.withNext(page,
                        "/v1/admin/accounts/" + accountId + "/ledger?limit=" + size + "&before="));
    }

    @POST
    @Path("/{id}/credits")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, required = false, schema = @Schema(type = SchemaType.STRING), description = "Makes a retry safe: the same key with the same request answers the first result again, with a different request 422")
    @APIResponse(responseCode = "201", description = "Credited", content = @Content(mediaType = "application/json", schema = @Schema(implementation = Adjustment.class)))
    public Uni<Adjustment> credit(@RestPath String id,
            @Valid @NotNull(message = "A JSON body is required: \\{amount_cents, reason\\}", payload = BadRequest.class) Credit body,
            HttpServerRequest request) {
        return wallets.adjust(Inputs.accountId(session), Inputs.pathId(id, "account"), body.amountCents(),
                body.reason(), IdempotencyKeys.of(request));
    }
}
