package com.fetchsms.ingest.rest;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.json.Params;
import com.fetchsms.common.validation.BadRequest;
import com.fetchsms.common.validation.CleanText;
import com.fetchsms.common.validation.Required;
import com.fetchsms.ingest.domain.GatewayMessage;
import com.fetchsms.ingest.domain.GatewayView;
import com.fetchsms.ingest.domain.IssuedGateway;
import com.fetchsms.ingest.service.GatewayService;

import io.smallrye.mutiny.Uni;

/** Modem gateway administration (dashboard session of an admin). */
@Path("/v1/admin/gateways")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class AdminGatewayResource {

    /** {@code POST /v1/admin/gateways} body: a name of 1 to 100 characters, unique without regard to case. */
    public record NewGateway(
            @Required(allowBlank = true) @CleanText @Pattern(regexp = "(?s).*\\S.*", message = "is required") @Size(max = 100, message = "is longer than {max} characters") String name) {
    }

    private final GatewayService gateways;

    public AdminGatewayResource(GatewayService gateways) {
        this.gateways = gateways;
    }

    /** Creates a gateway; its token and signing key appear only in this answer. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "Gateway registered; its token is shown only now", content = @Content(mediaType = "application/json", schema = @Schema(implementation = IssuedGateway.class)))
    public Uni<IssuedGateway> create(
            @Valid @NotNull(message = "A JSON body is required: \\{name\\}", payload = BadRequest.class) NewGateway body) {
        return gateways.create(body.name());
    }

    @GET
    public Uni<List<GatewayView>> list() {
        return gateways.list();
    }

    /**
     * The gateway's latest messages (its reports), newest first, with what the pipeline made of each: the service
     * detected and whether a code was found, never the text nor the code. {@code before}: the id of the last one seen.
     */
    @GET
    @Path("/{id}/messages")
    public Uni<List<GatewayMessage>> messages(@RestPath String id, @RestQuery String before,
            @RestQuery String limit) {
        UUID gateway = parseId(id);
        int size = Params.intInRange(limit, "limit", 50, 1, 200);
        UUID cursor = null;
        if (before != null && !before.isBlank()) {
            try {
                cursor = UUID.fromString(before.trim());
            } catch (IllegalArgumentException e) {
                throw ApiException.unprocessable("Query parameter 'before' must be the id of a message");
            }
        }
        return gateways.messages(gateway, cursor, size);
    }

    /** Replaces the gateway's token and signing key (the old ones stop working at once). */
    @POST
    @Path("/{id}/rotate")
    public Uni<IssuedGateway> rotate(@RestPath String id) {
        return gateways.rotate(parseId(id));
    }

    static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Gateway not found");
        }
    }
}
