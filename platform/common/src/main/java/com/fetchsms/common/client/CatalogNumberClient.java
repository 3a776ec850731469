package com.fetchsms.common.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * catalog-service's internal, read-only number look-up: which gateway serves each of some numbers
 * ({@code POST /internal/numbers/lookup}). For sms-ingest-service, whose copy of {@code inventory.numbers} may lag.
 */
@ApplicationScoped
public class CatalogNumberClient {

    private final Vertx vertx;
    private final ServicesConfig config;
    private WebClient client;

    public CatalogNumberClient(Vertx vertx, ServicesConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    @PostConstruct
    void init() {
        client = InternalClients.create(vertx, config);
    }

    /**
     * Looks {@code numbers} (E.164, at most 1,000) up: 200 {@code {numbers: [{number, gateway_id, state,
     * changed_at}]}}, without the numbers the inventory does not know. Fails with
     * {@link UpstreamUnavailableException} when catalog-service cannot be reached in {@code timeout} or answers 5xx.
     */
    public Uni<Upstream> lookup(Collection<? extends String> numbers, Duration timeout) {
        JsonObject body = new JsonObject().put("numbers", new JsonArray(new ArrayList<>(numbers)));
        return client.postAbs(config.catalogUrl() + "/internal/numbers/lookup").timeout(timeout.toMillis())
                .sendJsonObject(body)
                .onFailure().transform(f -> new UpstreamUnavailableException(
                        "catalog-service unreachable: " + f.getMessage()))
                .map(response -> Upstream.of("catalog-service", response));
    }
}
