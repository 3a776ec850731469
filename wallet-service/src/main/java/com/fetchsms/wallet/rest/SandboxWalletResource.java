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

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.ResponseStatus;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.security.Caller;
import com.fetchsms.common.validation.BadRequest;
import com.fetchsms.common.validation.Required;
import com.fetchsms.common.validation.TypeHint;
import com.fetchsms.wallet.domain.LedgerItem;
import com.fetchsms.wallet.domain.SandboxWallet;
import com.fetchsms.wallet.service.SandboxService;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * The sandbox wallet of a test key ({@code fsk_test_…}): its test money, and top-ups credited at once. A live key is
 * 403. A dashboard session may read its sandbox's wallet (the dashboard shows it) but not top it up: test money is
 * added by the integration under test, with its test key (decision 0024). Not under the per-credential rate limit
 * (left out when that limit was per replica; decision 0030 shares it, so it could be added); a top-up writes nothing
 * once the balance cap is reached.
 */
@Path("/v1/sandbox/wallet")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Caller.ROLE_USER, Caller.ROLE_API})
public class SandboxWalletResource {

    static final String LIVE_KEY = "The sandbox wallet takes a test key (fsk_test_…); this is a live key";
    static final String SESSION_TOP_UP = "A sandbox top-up takes a test key (fsk_test_…), not a dashboard session";

    /** {@code POST /v1/sandbox/wallet/top-up} body. */
    public record TopUp(@Required @TypeHint(TypeHint.CENTS) Long amountCents) {
    }

    @Inject
    SecurityIdentity identity;

    private final SandboxService sandbox;

    public SandboxWalletResource(SandboxService sandbox) {
        this.sandbox = sandbox;
    }

    /** Balance and the latest entries (newest first) of the test key's sandbox, or of the session's customer. */
    @GET
    public Uni<SandboxWallet> wallet() {
        Caller caller = Caller.of(identity);
        if (!caller.viaApiKey()) {
            return sandbox.walletOfCustomer(caller.accountId());
        }
        return sandbox.wallet(testKeyAccount(caller));
    }

    @POST
    @Path("/top-up")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "Test money credited", content = @Content(mediaType = "application/json", schema = @Schema(implementation = LedgerItem.class)))
    public Uni<LedgerItem> topUp(
            @Valid @NotNull(message = "A JSON body is required: \\{amount_cents\\}", payload = BadRequest.class) TopUp body) {
        Caller caller = Caller.of(identity);
        if (!caller.viaApiKey()) {
            throw ApiException.forbidden(SESSION_TOP_UP);
        }
        return sandbox.topUp(testKeyAccount(caller), body.amountCents());
    }

    /** The sandbox twin a test key belongs to; 403 for a live key. */
    private static java.util.UUID testKeyAccount(Caller caller) {
        if (!caller.sandbox()) {
            throw ApiException.forbidden(LIVE_KEY);
        }
        return caller.accountId();
    }
}
