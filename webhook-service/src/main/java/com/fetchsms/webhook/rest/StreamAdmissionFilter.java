package com.fetchsms.webhook.rest;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.fetchsms.common.security.Caller;
import com.fetchsms.webhook.service.EventStreamService;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Admits the connections of {@link StreamAdmitted} routes ({@link EventStreamService#admit}), after the rate limit (a
 * connection is one request of the credential's budget, whatever it streams afterwards). The admission is handed to
 * the route in the request's {@link RoutingContext}.
 */
public class StreamAdmissionFilter {

    static final String ADMISSION = "fetchsms.events.admission";
    static final String LAST_EVENT_ID = "Last-Event-ID";

    private final EventStreamService streams;
    private final CurrentIdentityAssociation identities;

    public StreamAdmissionFilter(EventStreamService streams, CurrentIdentityAssociation identities) {
        this.streams = streams;
        this.identities = identities;
    }

    @StreamAdmitted
    @ServerRequestFilter(priority = Priorities.USER + 100)
    public Uni<Void> admit(ContainerRequestContext request, RoutingContext routing) {
        return identities.getDeferredIdentity()
                .chain(identity -> streams.admit(Caller.of(identity).accountId(),
                        request.getHeaderString(LAST_EVENT_ID)))
                .invoke(admission -> routing.put(ADMISSION, admission))
                .replaceWithVoid();
    }
}
