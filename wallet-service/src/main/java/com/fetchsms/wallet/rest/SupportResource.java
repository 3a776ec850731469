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

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fetchsms.common.json.Params;
import com.fetchsms.common.validation.BadRequest;
import com.fetchsms.common.validation.CleanText;
import com.fetchsms.common.validation.Required;
import com.fetchsms.wallet.domain.SupportTicket;
import com.fetchsms.wallet.service.SupportService;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * The caller's support tickets (dashboard session only: an API key is 403, like every account route). Another
 * account's ticket is 404.
 */
@Path("/v1/support/tickets")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("user")
public class SupportResource {

    /**
     * {@code POST /v1/support/tickets} body: {@code subject} 1–200 characters on one line, {@code body} 1–5,000
     * (line breaks allowed); surrounding white space is dropped.
     */
    @Schema(name = "NewTicket")
    public record NewTicket(
            @Required(allowBlank = true) @CleanText String subject,
            @Required(allowBlank = true) @CleanText(multiLine = true) String body) {
    }

    /** A message added to a ticket, by its customer or an operator: 1–5,000 characters, line breaks allowed. */
    @Schema(name = "TicketReply")
    public record TicketReply(@Required(allowBlank = true) @CleanText(multiLine = true) String body) {
    }

    @Inject
    SecurityIdentity session;

    private final SupportService support;

    public SupportResource(SupportService support) {
        this.support = support;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "Ticket opened, with its first message", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SupportTicket.class)))
    public Uni<SupportTicket> open(
            @Valid @NotNull(message = "A JSON body is required: \\{subject, body\\}", payload = BadRequest.class) NewTicket body) {
        return support.open(Inputs.accountId(session), body.subject(), body.body());
    }

    /**
     * The caller's tickets without their messages, most recently changed first; a full page announces the next one in
     * a {@code Link: <…>; rel="next"} header.
     */
    @GET
    public Uni<RestResponse<List<SupportTicket>>> list(@RestQuery String limit, @RestQuery String before) {
        int size = Params.intInRange(limit, "limit", 50, 1, 200);
        return support.list(Inputs.accountId(session), Inputs.optionalUuid(before, "before"), size)
                .map(page -> Links.withNext(page, "/v1/support/tickets?limit=" + size + "&before="));
    }

    @GET
    @Path("/{id}")
    public Uni<SupportTicket> get(@RestPath String id) {
        return support.ticket(Inputs.accountId(session), Inputs.pathId(id, "support ticket"));
    }

    /** 201 with the ticket, now {@code open} (waiting for an operator); 409 when it is closed. */
    @POST
    @Path("/{id}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "Message added; the ticket is open (waiting for an operator)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SupportTicket.class)))
    public Uni<SupportTicket> reply(@RestPath String id,
            @Valid @NotNull(message = "A JSON body is required: \\{body\\}", payload = BadRequest.class) TicketReply body) {
        return support.reply(Inputs.accountId(session), Inputs.pathId(id, "support ticket"), body.body());
    }

    /** 200 with the ticket, closed (also when it was already). */
    @POST
    @Path("/{id}/close")
    public Uni<SupportTicket> close(@RestPath String id) {
        return support.close(Inputs.accountId(session), Inputs.pathId(id, "support ticket"));
    }
}
