package com.fetchsms.common.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.contract.NumberLookup;
import com.fetchsms.common.contract.NumberLookupRequest;

import io.smallrye.mutiny.Uni;
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
    private final ObjectMapper mapper;
    private WebClient client;

    public CatalogNumberClient(Vertx vertx, ServicesConfig config, ObjectMapper mapper) {
        this.vertx = vertx;
        this.config = config;
        this.mapper = mapper;
    }

    @PostConstruct
    void init() {
        client = InternalClients.create(vertx, config);
    }

    /**
     * Looks {@code numbers} (E.164, at most {@link NumberLookupRequest#MAX_NUMBERS}) up: 200 with the numbers the
     * inventory knows. Fails with {@link UpstreamUnavailableException} when catalog-service cannot be reached in
     * {@code timeout} or answers 5xx.
     */
    public Uni<Upstream<NumberLookup>> lookup(Collection<? extends String> numbers, Duration timeout) {
        return InternalClients.post(client, mapper, "catalog-service", config.catalogUrl() + "/internal/numbers/lookup",
                new NumberLookupRequest(new ArrayList<>(numbers)), timeout, NumberLookup.class);
    }
}
