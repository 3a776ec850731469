package com.fetchsms.webhook.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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

import com.fetchsms.common.security.Caller;
import com.fetchsms.common.security.SessionOrTestKey;
import com.fetchsms.common.validation.BadRequest;
import com.fetchsms.common.validation.CleanText;
import com.fetchsms.common.validation.Required;
import com.fetchsms.webhook.domain.CreatedEndpoint;
import com.fetchsms.webhook.domain.DeliveryView;
import com.fetchsms.webhook.domain.Endpoint;
import com.fetchsms.webhook.domain.RotatedSecret;
import com.fetchsms.webhook.domain.WebhookEvent;
import com.fetchsms.webhook.service.EndpointService;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * The caller's webhook endpoints and deliveries. A dashboard session manages the live account's; a test key
 * ({@code fsk_test_…}) its sandbox twin's, which receive only the sandbox's events (they carry the twin's account id).
 * A live key is 403 ({@link SessionOrTestKey}): a key held by a purchase script never redirects the live account's
 * webhooks. Not under the per-credential rate limit; test pings and retries have budgets per account (the twin's are
 * its own).
 */
@Path("/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Caller.ROLE_USER, Caller.ROLE_API})
@SessionOrTestKey(WebhookResource.LIVE_KEY_CANNOT)
public class WebhookResource {

    /** Why a live key is refused: the end of the 403's detail. */
    static final String LIVE_KEY_CANNOT = "manage webhook endpoints";

    /**
     * {@code POST /v1/webhooks} body: the endpoint's address and, optionally, the events it subscribes to (every
     * {@link WebhookEvent} when absent; repeats are dropped).
     */
    public record NewEndpoint(
            @Required @CleanText @Size(max = MAX_URL_LENGTH, message = "is longer than {max} characters") String url,
            @Size(min = 1, message = "must name at least one event (or be omitted for all)") List<@Required WebhookEvent> events) {
    }

    static final int MAX_URL_LENGTH = 2048;

    @Inject
    SecurityIdentity identity;

    private final EndpointService endpoints;

    public WebhookResource(EndpointService endpoints) {
        this.endpoints = endpoints;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "Endpoint registered; its signing secret is shown only now", content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreatedEndpoint.class)))
    public Uni<CreatedEndpoint> create(
            @Valid @NotNull(message = "A JSON body is required: \\{url, events?\\}", payload = BadRequest.class) NewEndpoint body) {
        List<String> events = body.events() == null
                ? WebhookEvent.CODES
                : body.events().stream().distinct().map(WebhookEvent::code).toList();
        return endpoints.create(Inputs.accountId(identity), body.url().trim(), events);
    }

    @GET
    public Uni<List<Endpoint>> list() {
        return endpoints.list(Inputs.accountId(identity));
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@RestPath String id) {
        return endpoints.delete(Inputs.accountId(identity), Inputs.pathId(id, "webhook endpoint"));
    }

    @POST
    @Path("/{id}/rotate-secret")
    public Uni<RotatedSecret> rotateSecret(@RestPath String id) {
        return endpoints.rotateSecret(Inputs.accountId(identity), Inputs.pathId(id, "webhook endpoint"));
    }

    @POST
    @Path("/{id}/test")
    @ResponseStatus(202)
    @APIResponse(responseCode = "202", description = "A test delivery is queued")
    public Uni<Void> test(@RestPath String id) {
        return endpoints.test(Inputs.accountId(identity), Inputs.pathId(id, "webhook endpoint"));
    }

    @GET
    @Path("/{id}/deliveries")
    public Uni<List<DeliveryView>> deliveries(@RestPath String id) {
        return endpoints.deliveries(Inputs.accountId(identity), Inputs.pathId(id, "webhook endpoint"));
    }

    @POST
    @Path("/deliveries/{id}/retry")
    @ResponseStatus(202)
    @APIResponse(responseCode = "202", description = "The delivery is queued again")
    public Uni<Void> retry(@RestPath String id) {
        return endpoints.retry(Inputs.accountId(identity), Inputs.pathId(id, "delivery"));
    }
}
