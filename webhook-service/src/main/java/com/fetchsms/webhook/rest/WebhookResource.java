package com.fetchsms.webhook.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fetchsms.webhook.domain.CreatedEndpoint;
import com.fetchsms.webhook.domain.DeliveryView;
import com.fetchsms.webhook.domain.Endpoint;
import com.fetchsms.webhook.domain.RotatedSecret;
import com.fetchsms.webhook.service.EndpointService;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** The caller's webhook endpoints and deliveries (dashboard session only: an API key here is a 403). */
@Path("/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("user")
public class WebhookResource {

    @Inject
    SecurityIdentity session;

    private final EndpointService endpoints;

    public WebhookResource(EndpointService endpoints) {
        this.endpoints = endpoints;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "Endpoint registered; its signing secret is shown only now", content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreatedEndpoint.class)))
    public Uni<CreatedEndpoint> create(JsonNode body) {
        JsonNode checked = Inputs.body(body);
        return endpoints.create(Inputs.accountId(session), Inputs.url(checked), Inputs.events(checked));
    }

    @GET
    public Uni<List<Endpoint>> list() {
        return endpoints.list(Inputs.accountId(session));
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@RestPath String id) {
        return endpoints.delete(Inputs.accountId(session), Inputs.pathId(id, "webhook endpoint"));
    }

    @POST
    @Path("/{id}/rotate-secret")
    public Uni<RotatedSecret> rotateSecret(@RestPath String id) {
        return endpoints.rotateSecret(Inputs.accountId(session), Inputs.pathId(id, "webhook endpoint"));
    }

    @POST
    @Path("/{id}/test")
    @ResponseStatus(202)
    @APIResponse(responseCode = "202", description = "A test delivery is queued")
    public Uni<Void> test(@RestPath String id) {
        return endpoints.test(Inputs.accountId(session), Inputs.pathId(id, "webhook endpoint"));
    }

    @GET
    @Path("/{id}/deliveries")
    public Uni<List<DeliveryView>> deliveries(@RestPath String id) {
        return endpoints.deliveries(Inputs.accountId(session), Inputs.pathId(id, "webhook endpoint"));
    }

    @POST
    @Path("/deliveries/{id}/retry")
    @ResponseStatus(202)
    @APIResponse(responseCode = "202", description = "The delivery is queued again")
    public Uni<Void> retry(@RestPath String id) {
        return endpoints.retry(Inputs.accountId(session), Inputs.pathId(id, "delivery"));
    }
}
