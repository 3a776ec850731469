package com.fetchsms.ingest.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.resteasy.reactive.ResponseStatus;

import com.fetchsms.common.security.Caller;
import com.fetchsms.common.security.RateLimited;
import com.fetchsms.common.security.SandboxOnly;
import com.fetchsms.common.validation.BadRequest;
import com.fetchsms.ingest.domain.SimulatedSms;
import com.fetchsms.ingest.service.SandboxSmsService;

import io.smallrye.mutiny.Uni;

/**
 * {@code POST /v1/sandbox/sms}: a test key ({@code fsk_test_…}) delivers a simulated SMS to a sandbox number, so a
 * developer can test an integration end to end without a modem. The SMS goes through the modem gateways' pipeline
 * ({@link SandboxSmsService}); a live key or a dashboard session is 403 ({@link SandboxOnly}), no credential 401; the
 * key's requests are counted in its rate-limit bucket.
 */
@Path("/v1/sandbox/sms")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Caller.ROLE_USER, Caller.ROLE_API})
@SandboxOnly
@RateLimited
@SecurityRequirement(name = "apiKey") // a test key only: the gateway's merged document defines the scheme
public class SandboxSmsResource {

    private final SandboxSmsService sandbox;

    public SandboxSmsResource(SandboxSmsService sandbox) {
        this.sandbox = sandbox;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(202)
    @Operation(summary = "Deliver a simulated SMS to a sandbox number (test keys only)", description = "The SMS goes "
            + "through the same pipeline as a carrier's: de-duplication, service detection, code extraction, then "
            + "sms.inbound, so the sandbox verification or rental holding the number receives it as a live one would. "
            + "Only a test key (fsk_test_…) may send one, only to a sandbox number.")
    @APIResponse(responseCode = "202", description = "Accepted (or a duplicate of one accepted within 10 minutes), "
            + "with the service detected and the code extracted", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SimulatedSms.class)))
    @APIResponse(responseCode = "403", description = "A live key or a dashboard session: the sandbox takes a test key")
    @APIResponse(responseCode = "422", description = "'to' is not a sandbox number (or no US number); 'from' or "
            + "'text' too long")
    @APIResponse(responseCode = "429", description = "Over the key's rate limit")
    public Uni<SimulatedSms> send(
            @Valid @NotNull(message = "A JSON body is required: \\{\"to\": \"+12015550123\", \"text\": \"…\"\\}", payload = BadRequest.class) SandboxSmsRequest body) {
        return sandbox.deliver(body.to(), body.from(), body.text());
    }
}
