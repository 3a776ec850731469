package com.fetchsms.common.purchase;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.common.metrics.PushMetrics;

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
 *
 * <p>
 * Each change is reported with the time it was committed: now for this replica's own commit, the event's writing
 * for {@link PurchaseChangeListener} (its {@code ce_time}, else the record's timestamp). A long poll woken by a change records, when its answer is ready
 * ({@link Wait#answered}), how long after that time it was: {@code fetchsms_push_delay_seconds{channel="long_poll"}}
 * ({@link PushMetrics}). A long poll answered at once, or at the end of its wait, records nothing.
 */
@ApplicationScoped
public class PurchaseWatch {

    private final ConcurrentHashMap<UUID, Set<CompletableFuture<Instant>>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger waiters = new AtomicInteger();
    private final PurchaseWatchConfig config;
    private final Counter changedCounter;
    private final Counter timedOut;
    private final Counter refused;
    private final PushMetrics push;

    public PurchaseWatch(PurchaseWatchConfig config, MeterRegistry registry, PushMetrics push) {
        this.config = config;
        this.push = push;
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
        CompletableFuture<Instant> future = new CompletableFuture<>();
        waiting.compute(purchaseId, (id, set) -> {
            Set<CompletableFuture<Instant>> futures = set == null ? new HashSet<>() : set;
            futures.add(future);
            return futures;
        });
        return new Wait(purchaseId, future);
    }

    /** The purchase changed, committed just now by this replica: every request waiting for it is answered. */
    public void changed(UUID purchaseId) {
        changed(purchaseId, Instant.now());
    }

    /**
     * The purchase changed, committed at {@code committedAt}: every request waiting for it is answered, and measures
     * its push delay from that time.
     */
    public void changed(UUID purchaseId, Instant committedAt) {
        Set<CompletableFuture<Instant>> futures = waiting.remove(purchaseId);
        if (futures != null) {
            futures.forEach(future -> future.complete(committedAt));
        }
    }

    /** {@link #changed(UUID)} for the key of a product's event (its purchase id); any other key is ignored. */
    public void changed(String key) {
        changed(key, Instant.now());
    }

    /**
     * {@link #changed(UUID, Instant)} for the key of a product's event (its purchase id) written at
     * {@code committedAt} (the event's writing); any other key is ignored.
     */
    public void changed(String key, Instant committedAt) {
        if (key == null || waiting.isEmpty()) {
            return;
        }
        UUID purchaseId;
        try {
            purchaseId = UUID.fromString(key);
        } catch (IllegalArgumentException notAnId) {
            return; // not a purchase's event: nobody waits for it
        }
        changed(purchaseId, committedAt);
    }

    /** How many requests wait now. */
    public int waiting() {
        return waiters.get();
    }

    /** One registered wait. */
    public final class Wait {
        private final UUID purchaseId;
        private final CompletableFuture<Instant> future;
        private final AtomicBoolean closed = new AtomicBoolean();
        /** When the change that woke this wait was committed; null until woken (and after {@link #answered}). */
        private volatile Instant wokenBy;

        private Wait(UUID purchaseId, CompletableFuture<Instant> future) {
            this.purchaseId = purchaseId;
            this.future = future;
        }

        /**
         * Completes with true when the purchase changes, false when {@code max} passes first; either way the wait is
         * closed (and when the subscriber cancels). It continues on the caller's Vert.x context (the request's), not
         * on the thread that reported the change. When woken, the change's commit time is kept for
         * {@link #answered}.
         */
        public Uni<Boolean> changed(Duration max) {
            Context context = Vertx.currentContext();
            return Uni.createFrom().completionStage(future).map(Optional::of)
                    .ifNoItem().after(max).recoverWithItem(Optional.empty())
                    .emitOn(command -> {
                        if (context == null) {
                            command.run();
                        } else {
                            context.runOnContext(ignored -> command.run());
                        }
                    })
                    .map(committedAt -> {
                        wokenBy = committedAt.orElse(null);
                        (committedAt.isPresent() ? changedCounter : timedOut).increment();
                        return committedAt.isPresent();
                    })
                    // also when the request is cancelled (the client went away): the wait leaves the map and the count
                    .onTermination().invoke(this::close);
        }

        /**
         * The answer to the long poll is ready, to be handed to the client: when a change woke the wait, records the
         * push delay from that change's commit to now ({@code fetchsms_push_delay_seconds{channel="long_poll"}});
         * nothing when the wait ended without a change. Once per wait.
         */
        public void answered() {
            Instant committedAt = wokenBy;
            if (committedAt != null) {
                wokenBy = null;
                push.pushed(PushMetrics.Channel.LONG_POLL, Duration.between(committedAt, Instant.now()));
            }
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
