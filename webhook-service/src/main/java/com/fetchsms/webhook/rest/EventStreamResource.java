package com.fetchsms.webhook.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

import com.fetchsms.common.security.Caller;
import com.fetchsms.common.security.RateLimited;
import com.fetchsms.webhook.domain.StreamAdmission;
import com.fetchsms.webhook.domain.StreamMessage;
import com.fetchsms.webhook.service.EventStreamService;

import io.smallrye.mutiny.Multi;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/events}: the caller's account events as Server-Sent Events, for an API key or a dashboard session
 * (decision 0020). The connection is counted once against the credential's rate limit; its admission (slot,
 * {@code Last-Event-ID}) is {@link StreamAdmissionFilter}'s.
 */
@Path("/v1/events")
@RolesAllowed({Caller.ROLE_USER, Caller.ROLE_API})
@RateLimited
public class EventStreamResource {

    private final EventStreamService streams;

    public EventStreamResource(EventStreamService streams) {
        this.streams = streams;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    // each event's data is already one line of JSON, written as it is
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    @StreamAdmitted
    @Operation(summary = "The account's events as a stream (Server-Sent Events)", description = "Messages `id:` (the "
            + "event's id in the account), `event:` (sms.received, verification.cancelled, verification.expired, "
            + "rental.cancelled, rental.expired, wallet.refunded) and `data:` (one line of JSON); a `: heartbeat` comment every 15 s. "
            + "With Last-Event-ID the kept events after that id are replayed first; without it the stream starts live.")
    @APIResponse(responseCode = "200", description = "The stream: open until the client closes it", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "Last-Event-ID is not a non-negative integer")
    @APIResponse(responseCode = "429", description = "Over the credential's rate limit, or the account has its maximum of open streams")
    public Multi<OutboundSseEvent> stream(
            @Parameter(description = "Resume after this event id (what EventSource sends when it reconnects)") @HeaderParam(StreamAdmissionFilter.LAST_EVENT_ID) String lastEventId,
            @Context Sse sse, @Context RoutingContext routing) {
        StreamAdmission admission = routing.get(StreamAdmissionFilter.ADMISSION);
        return streams.open(admission).map(message -> sse(sse, message));
    }

    private static OutboundSseEvent sse(Sse sse, StreamMessage message) {
        OutboundSseEvent.Builder builder = sse.newEventBuilder();
        if (message.comment() != null) {
            builder.comment(message.comment());
        }
        if (message.retryMillis() != null) {
            builder.reconnectDelay(message.retryMillis());
        }
        if (message.id() != null) {
            builder.id(Long.toString(message.id())).name(message.type()).data(message.data());
        }
        return builder.build();
    }
}
