package com.fetchsms.wallet.rest;

import java.util.List;
import java.util.Set;

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

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fetchsms.common.json.Params;
import com.fetchsms.common.validation.BadRequest;
import com.fetchsms.wallet.domain.SupportTicket;
import com.fetchsms.wallet.rest.SupportResource.TicketReply;
import com.fetchsms.wallet.service.SupportService;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** The operators' side of support tickets (dashboard session of an admin; a customer is 403). */
@Path("/v1/admin/support/tickets")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class AdminSupportResource {

    private static final Set<String> STATUSES = Set.of(SupportTicket.OPEN, SupportTicket.ANSWERED,
            SupportTicket.CLOSED);

    @Inject
    SecurityIdentity session;

    private final SupportService support;

    public AdminSupportResource(SupportService support) {
        this.support = support;
    }

    /**
     * The tickets of one status (without their messages, each with the customer's email): {@code open} (the default)
     * the longest waiting first, {@code answered} and {@code closed} the most recently changed first; a full page
     * announces the next one in a {@code Link: <…>; rel="next"} header.
     */
    @GET
    public Uni<RestResponse<List<SupportTicket>>> queue(
            @Parameter(description = "The tickets of this status; open (the default) the longest waiting first, the others the most recently changed first", schema = @Schema(type = SchemaType.STRING, enumeration = {
                    SupportTicket.OPEN, SupportTicket.ANSWERED,
                    SupportTicket.CLOSED}, defaultValue = SupportTicket.OPEN)) @RestQuery String status,
            @RestQuery String limit, @RestQuery String before) {
        String wanted = Params.oneOf(status, "status", SupportTicket.OPEN, STATUSES);
        int size = Params.intInRange(limit, "limit", 50, 1, 200);
        return support.queue(wanted, Inputs.optionalUuid(before, "before"), size)
                .map(page -> Links.withNext(page,
                        "/v1/admin/support/tickets?status=" + wanted + "&limit=" + size + "&before="));
    }

    @GET
    @Path("/{id}")
    public Uni<SupportTicket> get(@RestPath String id) {
        return support.ticketForOperator(Inputs.pathId(id, "support ticket"));
    }

    /** 201 with the ticket, now {@code answered} (waiting for the customer); 409 when it is closed. */
    @POST
    @Path("/{id}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "Answer added; the ticket is answered (waiting for the customer)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SupportTicket.class)))
    public Uni<SupportTicket> answer(@RestPath String id,
            @Valid @NotNull(message = "A JSON body is required: \\{body\\}", payload = BadRequest.class) TicketReply body) {
        return support.answer(Inputs.accountId(session), Inputs.pathId(id, "support ticket"), body.body());
    }

    /** 200 with the ticket, closed (also when it was already). */
    @POST
    @Path("/{id}/close")
    public Uni<SupportTicket> close(@RestPath String id) {
        return support.closeForOperator(Inputs.pathId(id, "support ticket"));
    }
}
