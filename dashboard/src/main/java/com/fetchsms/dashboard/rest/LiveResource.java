package com.fetchsms.dashboard.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestHeader;

import com.fetchsms.dashboard.client.PublicApi;
import com.fetchsms.dashboard.config.DashboardConfig;
import com.fetchsms.dashboard.service.LiveTriggers;
import com.fetchsms.dashboard.service.Pages;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;

/**
 * {@code GET /app/live}: the page's live updates. The dashboard reads the account's event stream
 * ({@code GET /v1/events}, with the session from the browser's HttpOnly cookie, which page scripts cannot read) and
 * passes on, for each event, only the names of what changed ({@code verification-<id>}, {@code verifications},
 * {@code wallet}, …: {@link LiveTriggers}); the parts of a page that show them fetch themselves again. No code or
 * message body travels on this stream. Event ids are the account's, so a reconnecting browser resumes where it was.
 */
@Path("/live")
public class LiveResource {

    @Inject
    Pages pages;

    @Inject
    DashboardConfig config;

    @Inject
    Vertx vertx;

    @Inject
    @RestClient
    PublicApi api;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> live(@Context Sse sse, @RestHeader("Last-Event-ID") String lastEventId) {
        String bearer = pages.bearer();
        String resumeFrom = lastEventId != null && lastEventId.matches("\\d{1,18}") ? lastEventId : null;
        Multi<OutboundSseEvent> events = api.events(bearer, resumeFrom)
                .onItem().transformToIterable(event -> LiveTriggers.of(event.name(), event.data()).stream()
                        .map(name -> sse.newEventBuilder().name(name).id(event.id()).data(event.name()).build())
                        .toList());
        long heartbeatMillis = config.liveHeartbeat().toMillis();
        return Multi.createFrom().emitter(emitter -> {
            // The first bytes at once: the gateway sends a response's head with its first bytes, and the browser
            // counts the stream open (and the page resyncs its live parts) only then.
            emitter.emit(sse.newEventBuilder().comment("connected").build());
            Cancellable upstream = events.subscribe().with(emitter::emit, emitter::fail, emitter::complete);
            long timer = vertx.setPeriodic(heartbeatMillis,
                    tick -> emitter.emit(sse.newEventBuilder().comment("heartbeat").build()));
            emitter.onTermination(() -> {
                upstream.cancel();
                vertx.cancelTimer(timer);
            });
        });
    }
}
