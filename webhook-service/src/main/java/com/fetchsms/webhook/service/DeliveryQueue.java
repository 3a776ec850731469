package com.fetchsms.webhook.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.webhook.domain.AccountWebhook;
import com.fetchsms.webhook.repository.DeliveryRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** Fans an event out to the subscribed endpoints of its account: one pending delivery row each. */
@ApplicationScoped
public class DeliveryQueue {

    private final DeliveryRepository deliveries;

    public DeliveryQueue(DeliveryRepository deliveries) {
        this.deliveries = deliveries;
    }

    /**
     * In the caller's transaction, with one statement: each webhook to every active endpoint of its account subscribed
     * to its event; answers how many deliveries were queued.
     */
    public Uni<Integer> fanOut(SqlConnection tx, List<AccountWebhook> webhooks) {
        return deliveries.fanOut(tx, webhooks, Instant.now());
    }
}
