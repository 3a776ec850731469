package com.fetchsms.webhook.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.webhook.repository.DeliveryRepository;
import com.fetchsms.webhook.repository.EndpointRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** Fans an event out to the subscribed endpoints of its account: one pending delivery row each. */
@ApplicationScoped
public class DeliveryQueue {

    private final EndpointRepository endpoints;
    private final DeliveryRepository deliveries;

    public DeliveryQueue(EndpointRepository endpoints, DeliveryRepository deliveries) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
    }

    /** In the caller's transaction; answers how many deliveries were queued. */
    public Uni<Integer> fanOut(SqlConnection tx, UUID accountId, String event, String payload) {
        return endpoints.subscribers(tx, accountId, event).call(ids -> enqueue(tx, ids, event, payload))
                .map(List::size);
    }

    private Uni<Void> enqueue(SqlConnection tx, List<UUID> endpointIds, String event, String payload) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        Instant now = Instant.now();
        for (UUID endpointId : endpointIds) {
            chain = chain.chain(() -> deliveries.insert(tx, UUID.randomUUID(), endpointId, event, payload, now));
        }
        return chain;
    }
}
