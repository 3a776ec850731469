package com.fetchsms.wallet.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;

import com.fetchsms.common.contract.KeyIntrospection;
import com.fetchsms.common.contract.KeyIntrospectionRequest;
import com.fetchsms.common.contract.KeyUsageReport;
import com.fetchsms.wallet.service.ApiKeyService;

import io.smallrye.mutiny.Uni;

/**
 * Internal key API for the services that accept API keys (never routed by the gateway): introspection on a miss of
 * their local view (fed by {@code api-key.changed}), and batched usage reports. The bodies are the shared records of
 * {@code common.contract} that the callers' {@code ApiKeyView} sends and reads.
 */
@Path("/internal/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InternalApiKeyResource {

    private final ApiKeyService keys;

    public InternalApiKeyResource(ApiKeyService keys) {
        this.keys = keys;
    }

    @POST
    @Path("/introspect")
    public Uni<KeyIntrospection> introspect(KeyIntrospectionRequest body) {
        Inputs.body(body, "{key_hash}");
        return keys.introspect(body.keyHash());
    }

    @POST
    @Path("/usage")
    @ResponseStatus(204)
    public Uni<Void> usage(KeyUsageReport body) {
        Inputs.body(body, "{usages: [{key_id, last_used_at}]}");
        return keys.recordUsage(body.usages());
    }
}
