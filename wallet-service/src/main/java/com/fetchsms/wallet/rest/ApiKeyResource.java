package com.fetchsms.wallet.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestPath;

import com.fetchsms.common.validation.BadRequest;
import com.fetchsms.common.validation.CleanText;
import com.fetchsms.common.validation.Required;
import com.fetchsms.wallet.domain.ApiKey;
import com.fetchsms.wallet.domain.IssuedApiKey;
import com.fetchsms.wallet.service.ApiKeyService;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * The caller's API keys, live and test (dashboard session only: an API key here is a 403, a test key too: keys are the
 * customer's to manage).
 */
@Path("/v1/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("user")
public class ApiKeyResource {

    /**
     * {@code POST /v1/api-keys} body; {@code mode} is {@code live} (absent) or {@code test} (a key of the customer's
     * sandbox), anything else 422.
     */
    public record NewKey(@Required(allowBlank = true) @CleanText String name, @CleanText String mode) {
    }

    @Inject
    SecurityIdentity session;

    private final ApiKeyService keys;

    public ApiKeyResource(ApiKeyService keys) {
        this.keys = keys;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "Key issued; the key itself is shown only now", content = @Content(mediaType = "application/json", schema = @Schema(implementation = IssuedApiKey.class)))
    public Uni<IssuedApiKey> issue(
            @Valid @NotNull(message = "A JSON body is required: \\{name\\}", payload = BadRequest.class) NewKey body) {
        return keys.issue(Inputs.accountId(session), body.name(), body.mode());
    }

    @GET
    public Uni<List<ApiKey>> list() {
        return keys.list(Inputs.accountId(session));
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> revoke(@RestPath String id) {
        return keys.revoke(Inputs.accountId(session), Inputs.pathId(id, "API key"));
    }
}
