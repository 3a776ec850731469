package com.fetchsms.common.purchase;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The long polls of one service's purchases ({@code GET /v1/verifications/{id}?wait=…}): a request that finds its
 * purchase still waiting registers here and is answered when the purchase changes, or when its wait ends. Nothing is
 * held while it waits: no thread and no database connection, only an entry in a map and a timer.
 *
 * <p>
 * A change is reported by {@link #changed} once it is committed: by this replica's own code (a released code, a
 * cancel, an expiry) and, for changes made by any replica, by the product's events, which every replica reads
 * ({@link PurchaseChangeListener}). A request registers <em>before</em> it reads the purchase, so a change committed
 * between its read and its registration cannot be missed: either the read sees it, or the registration is woken.
 *
 * <p>
 * At most {@code fetchsms.purchase-watch.max-waiters} requests wait at once; past that a request is answered at once
 * with what it read (the client asks again), counted in {@code fetchsms_purchase_waits_total{outcome="refused"}}.
 */
@ApplicationScoped
public class PurchaseWatch {

    private final ConcurrentHashMap<UUID, Set<CompletableFuture<Boolean>>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger waiters = new AtomicInteger();
    private final PurchaseWatchConfig config;
    private final Counter changedCounter;
    private final Counter timedOut;
    private final Counter refused;

    public PurchaseWatch(PurchaseWatchConfig config, MeterRegistry registry) {
        this.config = config;
        Gauge.builder("fetchsms.purchase.waiters", waiters, AtomicInteger::get)
                .description("Long polls waiting for a purchase to change").register(registry);
        this.changedCounter = waits(registry, "changed");
        this.timedOut = waits(registry, "timed_out");
        this.refused = waits(registry, "refused");
    }

    private static Counter waits(MeterRegistry registry, String outcome) {
        return Counter.builder("fetchsms.purchase.waits").tag("outcome", outcome)
                .description("Long polls by how their wait ended").register(registry);
    }

    /** The longest wait a request may ask for. */
    public Duration maxWait() {
        return config.maxWait();
    }

    /**
     * Registers a wait for {@code purchaseId}; the caller reads the purchase next, then either {@link Wait#close}s it
     * (nothing to wait for) or awaits {@link Wait#changed}. Null when {@code max-waiters} requests already wait.
     */
    public Wait watch(UUID purchaseId) {
        if (waiters.incrementAndGet() > config.maxWaiters()) {
            waiters.decrementAndGet();
            refused.increment();
            return null;
        }
        CompletableFuture<Boolean> future = new CompletableFuture<>();
        waiting.compute(purchaseId, (id, set) -> {
            Set<CompletableFuture<Boolean>> futures = set == null ? new HashSet<>() : set;
            futures.add(future);
            return futures;
        });
        return new Wait(purchaseId, future);
    }

    /** The purchase changed (committed): every request waiting for it is answered. */
    public void changed(UUID purchaseId) {
        Set<CompletableFuture<Boolean>> futures = waiting.remove(purchaseId);
        if (futures != null) {
            futures.forEach(future -> future.complete(Boolean.TRUE));
        }
    }

    /** {@link #changed(UUID)} for the key of a product's event (its purchase id); any other key is ignored. */
    public void changed(String key) {
        if (key == null || waiting.isEmpty()) {
            return;
        }
        try {
            changed(UUID.fromString(key));
        } catch (IllegalArgumentException notAnId) {
            // not a purchase's event: nobody waits for it
        }
    }

    /** How many requests wait now. */
    public int waiting() {
        return waiters.get();
    }

    /** One registered wait. */
    public final class Wait {
        private final UUID purchaseId;
        private final CompletableFuture<Boolean> future;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Wait(UUID purchaseId, CompletableFuture<Boolean> future) {
            this.purchaseId = purchaseId;
            this.future = future;
        }

        /**
         * Completes with true when the purchase changes, false when {@code max} passes first; either way the wait is
         * closed (and when the subscriber cancels). It continues on the caller's Vert.x context (the request's), not on the thread that reported the
         * change.
         */
        public Uni<Boolean> changed(Duration max) {
            Context context = Vertx.currentContext();
            return Uni.createFrom().completionStage(future)
                    .ifNoItem().after(max).recoverWithItem(Boolean.FALSE)
                    .emitOn(command -> {
                        if (context == null) {
                            command.run();
                        } else {
                            context.runOnContext(ignored -> command.run());
                        }
                    })
                    .invoke(woken -> (woken ? changedCounter : timedOut).increment())
                    // also when the request is cancelled (the client went away): the wait leaves the map and the count
                    .onTermination().invoke(this::close);
        }

        /** Stops waiting (idempotent). */
        public void close() {
            if (closed.compareAndSet(false, true)) {
                waiting.computeIfPresent(purchaseId, (id, set) -> {
                    set.remove(future);
                    return set.isEmpty() ? null : set;
                });
                waiters.decrementAndGet();
            }
        }
    }
}
