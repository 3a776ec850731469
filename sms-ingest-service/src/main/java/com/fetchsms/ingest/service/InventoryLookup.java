package com.fetchsms.ingest.service;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.common.client.CatalogNumberClient;
import com.fetchsms.common.client.Upstream;
import com.fetchsms.common.contract.NumberAssignment;
import com.fetchsms.common.contract.NumberLookup;
import com.fetchsms.common.client.UpstreamUnavailableException;
import com.fetchsms.ingest.config.IngestConfig;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Asks catalog-service which gateway serves numbers that the local copy of {@code inventory.numbers} does not show
 * with the reporting gateway. Answers (also "unknown") are kept for {@code cache-ttl} in a bounded cache, one call
 * serves every report waiting for the same numbers, and at most {@code max-concurrent-calls} calls are in flight: a
 * flood of SMS for numbers nobody stocked cannot hammer the catalog. Fails with {@link UpstreamUnavailableException}
 * when the catalog cannot be asked.
 */
@ApplicationScoped
public class InventoryLookup {

    private static final Logger LOG = Logger.getLogger(InventoryLookup.class);

    /** catalog's answer for one number: its gateway, state and last change, or unknown ({@code state} null). */
    public record Answer(UUID gatewayId, String state, Instant changedAt) {

        static final Answer UNKNOWN = new Answer(null, null, null);

        public boolean known() {
            return state != null;
        }
    }

    private final CatalogNumberClient catalog;
    private final IngestConfig.InventoryLookup config;
    private final MeterRegistry registry;
    private final AsyncCache<String, Answer> answers;
    private final AtomicInteger inFlight = new AtomicInteger();

    public InventoryLookup(CatalogNumberClient catalog, IngestConfig config, MeterRegistry registry) {
        this.catalog = catalog;
        this.config = config.inventoryLookup();
        this.registry = registry;
        this.answers = Caffeine.newBuilder().expireAfterWrite(this.config.cacheTtl())
                .maximumSize(this.config.cacheSize()).buildAsync();
    }

    /** catalog's answer for each of {@code numbers} (E.164). */
    public Uni<Map<String, Answer>> lookup(Set<String> numbers) {
        Context context = Vertx.currentContext();
        Uni<Map<String, Answer>> answered = Uni.createFrom()
                .completionStage(() -> answers.getAll(numbers, (missing, executor) -> call(missing)));
        // a call started by another request completes on that request's event loop: continue on ours
        return context == null ? answered : answered.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    private CompletableFuture<Map<String, Answer>> call(Set<? extends String> numbers) {
        if (inFlight.incrementAndGet() > config.maxConcurrentCalls()) {
            inFlight.decrementAndGet();
            count("busy");
            return CompletableFuture.failedFuture(new UpstreamUnavailableException(
                    "too many inventory look-ups at catalog-service in flight"));
        }
        return catalog.lookup(numbers, config.timeout()).map(response -> answers(numbers, response))
                .onItemOrFailure().invoke((item, failure) -> {
                    inFlight.decrementAndGet();
                    count(failure == null ? "answered" : "unavailable");
                    if (failure != null) {
                        LOG.warnf("Inventory look-up of %d number(s) at catalog-service failed: %s", numbers.size(),
                                failure.getMessage());
                    }
                })
                .subscribeAsCompletionStage();
    }

    private static Map<String, Answer> answers(Set<? extends String> numbers, Upstream<NumberLookup> response) {
        if (response.status() != 200 || response.body().numbers() == null) {
            throw new UpstreamUnavailableException("catalog-service answered the inventory look-up with "
                    + response.status() + ": " + response.detail());
        }
        Map<String, Answer> result = new HashMap<>();
        numbers.forEach(number -> result.put(number, Answer.UNKNOWN));
        for (NumberAssignment found : response.body().numbers()) {
            if (result.containsKey(found.number())) {
                result.put(found.number(), new Answer(found.gatewayId(), found.state(), found.changedAt()));
            }
        }
        return result;
    }

    private void count(String outcome) {
        registry.counter("fetchsms_ingest_inventory_lookups_total", "outcome", outcome).increment();
    }
}
