package com.fetchsms.webhook.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.security.KeyedThrottle;
import com.fetchsms.webhook.config.WebhookConfig;
import com.fetchsms.webhook.domain.CreatedEndpoint;
import com.fetchsms.webhook.domain.DeliveryView;
import com.fetchsms.webhook.domain.Endpoint;
import com.fetchsms.webhook.domain.RotatedSecret;
import com.fetchsms.webhook.domain.WebhookEvents;
import com.fetchsms.webhook.repository.DeliveryRepository;
import com.fetchsms.webhook.repository.EndpointRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** The customer's endpoints and their delivery logs; every lookup is scoped to the caller's account. */
@ApplicationScoped
public class EndpointService {

    private final Pool pool;
    private final EndpointRepository endpoints;
    private final DeliveryRepository deliveries;
    private final SecretCipher cipher;
    private final UrlGuard guard;
    private final WebhookConfig config;
    private final KeyedThrottle manualSends;

    public EndpointService(Pool pool, EndpointRepository endpoints, DeliveryRepository deliveries,
            SecretCipher cipher, UrlGuard guard, WebhookConfig config) {
        this.pool = pool;
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.cipher = cipher;
        this.guard = guard;
        this.config = config;
        this.manualSends = new KeyedThrottle(config.manualSends().window(), config.manualSends().maxTracked());
    }

    /** Registers an endpoint after the URL guard; the secret is answered here only and stored encrypted. */
    public Uni<CreatedEndpoint> create(UUID accountId, String url, List<String> events) {
        return guard.checkForApi(url).chain(target -> {
            UUID id = UUID.randomUUID();
            String secret = SecretCipher.newSecret();
            byte[] sealed = cipher.encrypt(id, secret);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            String stored = url.trim();
            return pool.withTransaction(tx -> endpoints.lockAccount(tx, accountId)
                    .chain(() -> endpoints.count(tx, accountId))
                    .chain(count -> {
                        if (count >= config.maxEndpointsPerAccount()) {
                            return Uni.createFrom().failure(ApiException.unprocessable("An account can have at most "
                                    + config.maxEndpointsPerAccount() + " webhook endpoints"));
                        }
                        return endpoints.insert(tx, id, accountId, stored, events, sealed, now);
                    }))
                    .replaceWith(new CreatedEndpoint(id, stored, events, secret, now));
        });
    }

    public Uni<List<Endpoint>> list(UUID accountId) {
        return pool.withTransaction(tx -> endpoints.list(tx, accountId));
    }

    public Uni<Void> delete(UUID accountId, UUID id) {
        return pool.withTransaction(tx -> endpoints.delete(tx, accountId, id)).invoke(deleted -> {
            if (!deleted) {
                throw notFound(id);
            }
        }).replaceWithVoid();
    }

    /** A new secret; the previous one keeps signing (second signature) during the overlap. */
    public Uni<RotatedSecret> rotateSecret(UUID accountId, UUID id) {
        String secret = SecretCipher.newSecret();
        byte[] sealed = cipher.encrypt(id, secret);
        return pool.withTransaction(tx -> endpoints.rotateSecret(tx, accountId, id, sealed, config.rotationOverlap()))
                .map(expires -> new RotatedSecret(id, secret, expires.orElseThrow(() -> notFound(id))));
    }

    /** Queues a signed {@code ping} to the endpoint. */
    /** Queues a signed ping to the endpoint; 429 beyond the account's budget of tests. */
    public Uni<Void> test(UUID accountId, UUID id) {
        manualSends.take("test:" + accountId, config.manualSends().testsPerAccount(),
                "Too many webhook tests for this account");
        return pool.withTransaction(tx -> endpoints.find(tx, accountId, id).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().failure(notFound(id));
            }
            Instant now = Instant.now();
            return deliveries.insert(tx, UUID.randomUUID(), id, WebhookEvents.PING, Payloads.ping(id, now), now);
        }));
    }

    public Uni<List<DeliveryView>> deliveries(UUID accountId, UUID id) {
        return pool.withTransaction(tx -> endpoints.find(tx, accountId, id).chain(found -> found.isEmpty()
                ? Uni.createFrom().failure(notFound(id))
                : deliveries.list(tx, id, config.deliveriesPageSize())));
    }

    /**
     * Makes a delivery due now (one more attempt) and re-activates its endpoint if it was disabled. 409 while a
     * dispatcher is sending it (its lease holds): the attempt in flight is not doubled, and its outcome is recorded
     * as usual; 429 beyond the account's budget of retries.
     */
    public Uni<Void> retry(UUID accountId, UUID deliveryId) {
        manualSends.take("retry:" + accountId, config.manualSends().retriesPerAccount(),
                "Too many delivery retries for this account");
        return pool
                .withTransaction(tx -> deliveries.retryNow(tx, accountId, deliveryId).chain(outcome -> switch (outcome
                        .result()) {
                    case NOT_FOUND -> Uni.createFrom().failure(ApiException.notFound("No delivery " + deliveryId));
                    case IN_FLIGHT -> Uni.createFrom().failure(ApiException.conflict(
                            "This delivery is being sent right now; its outcome will show in its log, retry after that"));
                    case DUE -> endpoints.enable(tx, outcome.endpointId());
                }));
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("No webhook endpoint " + id);
    }
}
