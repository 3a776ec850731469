package com.fetchsms.common.client;

import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.contract.PurchaseMode;
import com.fetchsms.common.contract.Reservation;
import com.fetchsms.common.contract.ReservationRequest;
import com.fetchsms.common.contract.ServiceListing;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * catalog-service's internal reservation API (every call idempotent on the purchase id) and its public list of
 * services.
 */
@ApplicationScoped
public class CatalogClient {

    private static final String SERVICE = "catalog-service";

    private final Vertx vertx;
    private final ServicesConfig config;
    private final ObjectMapper mapper;
    private WebClient client;

    public CatalogClient(Vertx vertx, ServicesConfig config, ObjectMapper mapper) {
        this.vertx = vertx;
        this.config = config;
        this.mapper = mapper;
    }

    @PostConstruct
    void init() {
        client = InternalClients.create(vertx, config);
    }

    /**
     * Reserves a number and prices the purchase: {@code mode} {@code short} (a verification of {@code service}, an id
     * or a slug) or {@code long} (a rental of {@code days}). Above {@code maxPriceCents} (when not null) catalog-service
     * refuses with 409 and the current price ({@link Upstream#priceCents()}) and holds nothing. {@code sandbox}: a test
     * key's purchase, given only a sandbox number.
     */
    public Uni<Upstream<Reservation>> reserve(UUID purchaseId, String service, PurchaseMode mode, Integer days,
            String areaCode, Integer maxPriceCents, boolean sandbox) {
        return InternalClients.post(client, mapper, SERVICE, config.catalogUrl() + "/internal/reservations",
                new ReservationRequest(purchaseId, service, mode, days, areaCode, maxPriceCents, sandbox),
                config.callTimeout(),
                Reservation.class);
    }

    /** Gives the number back. */
    public Uni<Upstream<Reservation>> release(UUID purchaseId) {
        return InternalClients.post(client, mapper, SERVICE,
                config.catalogUrl() + "/internal/reservations/" + purchaseId + "/release", null, config.callTimeout(),
                Reservation.class);
    }

    /** The active services in display order with their prices and stock ({@code GET /v1/services}). */
    public Uni<Upstream<ServiceListing[]>> services() {
        return InternalClients.get(client, mapper, SERVICE, config.catalogUrl() + "/v1/services",
                config.callTimeout(), ServiceListing[].class);
    }
}
