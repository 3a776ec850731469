package com.fetchsms.common.client;

import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/** catalog-service's internal reservation API; every call is idempotent on the purchase id. */
@ApplicationScoped
public class CatalogClient {

    private final Vertx vertx;
    private final ServicesConfig config;
    private WebClient client;

    public CatalogClient(Vertx vertx, ServicesConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    @PostConstruct
    void init() {
        client = InternalClients.create(vertx, config);
    }

    /**
     * Reserves a number and prices the purchase: {@code mode} {@code short} (a verification of {@code service}) or
     * {@code long} (a rental of {@code days}). {@code service} is an id (Integer) or a slug.
     */
    public Uni<Upstream> reserve(UUID purchaseId, Object service, String mode, Integer days, String areaCode) {
        JsonObject body = new JsonObject().put("purchase_id", purchaseId.toString()).put("service", service)
                .put("mode", mode);
        if (days != null) {
            body.put("days", days);
        }
        if (areaCode != null) {
            body.put("area_code", areaCode);
        }
        return call(client.postAbs(config.catalogUrl() + "/internal/reservations")
                .timeout(config.callTimeout().toMillis()).sendJsonObject(body));
    }

    /** Gives the number back. */
    public Uni<Upstream> release(UUID purchaseId) {
        return call(client.postAbs(config.catalogUrl() + "/internal/reservations/" + purchaseId + "/release")
                .timeout(config.callTimeout().toMillis()).send());
    }

    private static Uni<Upstream> call(Uni<HttpResponse<Buffer>> request) {
        return request.onFailure().transform(f -> new UpstreamUnavailableException(
                "catalog-service unreachable: " + f.getMessage()))
                .map(response -> Upstream.of("catalog-service", response));
    }
}
