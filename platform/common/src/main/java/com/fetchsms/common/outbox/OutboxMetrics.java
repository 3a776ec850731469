package com.fetchsms.common.outbox;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fetchsms.common.messaging.EventHops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The outbox's health as metrics: {@code fetchsms_outbox_pending} (rows not yet published, parked rows excluded),
 * {@code fetchsms_outbox_lag_seconds} (age of the oldest of them; 0 when none), {@code fetchsms_outbox_published_total},
 * {@code fetchsms_outbox_parked} (rows parked after {@code fetchsms.outbox.max-attempts} refusals, waiting for an
 * operator) and {@code fetchsms_outbox_refused_total} (publish attempts the producer refused). The gauges are refreshed by one reactive query every
 * {@code fetchsms.outbox.metrics-interval} and zeroed by the relay whenever a pass empties the table; the lag is computed
 * when scraped, so it keeps growing while the relay is stuck. Nothing here blocks an event loop.
 */
@ApplicationScoped
public class OutboxMetrics {

    private static final Logger LOG = Logger.getLogger(OutboxMetrics.class);

    private final Pool pool;
    private final Vertx vertx;
    private final OutboxConfig config;
    private final AtomicLong pending = new AtomicLong();
    /** Bumped whenever the relay empties the table, so a refresh that started earlier does not overwrite it. */
    private final AtomicLong generation = new AtomicLong();
    private final Counter published;
    private final Timer publishDelay;
    private final Counter refused;
    private final AtomicLong parked = new AtomicLong();
    private volatile Instant oldest;
    private long timerId = -1;
    private final MeterRegistry registry;
    private final java.util.List<Gauge> gauges = new java.util.ArrayList<>();

    public OutboxMetrics(MeterRegistry registry, Pool pool, Vertx vertx, OutboxConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
        this.registry = registry;
        gauges.add(Gauge.builder("fetchsms.outbox.pending", pending, AtomicLong::get).strongReference(true)
                .description("Outbox rows committed and not yet published to Kafka").register(registry));
        gauges.add(Gauge.builder("fetchsms.outbox.lag", this, OutboxMetrics::lagSeconds).strongReference(true)
                .baseUnit("seconds")
                .description("Age of the oldest outbox row not yet published to Kafka (0 when none)")
                .register(registry));
        published = Counter.builder("fetchsms.outbox.published")
                .description("Outbox events published to Kafka (acknowledged by the broker)").register(registry);
        gauges.add(Gauge.builder("fetchsms.outbox.parked", parked, AtomicLong::get).strongReference(true)
                .description("Outbox rows parked after too many refused publish attempts (skipped until re-queued)")
                .register(registry));
        refused = Counter.builder("fetchsms.outbox.refused")
                .description("Outbox publish attempts the producer refused (the broker was reachable)")
                .register(registry);
        publishDelay = Timer.builder("fetchsms.outbox.publish.delay")
                .description("From an event's writing (ce_time) to the broker's acknowledgement of its record: the "
                        + "writer's side of a hop")
                .serviceLevelObjectives(EventHops.BUCKETS)
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
    }

    /** The broker acknowledged, at {@code now}, the record of an event written at {@code writtenAt}. */
    void acknowledged(Instant writtenAt, Instant now) {
        Duration delay = Duration.between(writtenAt, now);
        publishDelay.record(delay.isNegative() ? Duration.ZERO : delay);
    }

    void start(@Observes StartupEvent event) {
        timerId = vertx.setPeriodic(config.metricsInterval().toMillis(), id -> refresh());
        refresh();
    }

    void stop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        // the injected registry outlives an application restarted in the same JVM (tests): the next one's gauges must
        // read its own outbox, not this one's
        gauges.forEach(registry::remove);
    }

    /** Reads the table once (reactive) and updates the gauges, unless the relay emptied the table meanwhile. */
    public void refresh() {
        long seen = generation.get();
        pool.query("""
                SELECT count(*) FILTER (WHERE parked_at IS NULL) AS pending,
                       min(occurred_at) FILTER (WHERE parked_at IS NULL) AS oldest,
                       count(*) FILTER (WHERE parked_at IS NOT NULL) AS parked
                FROM outbox_event""").execute()
                .subscribe().with(rows -> {
                    Row row = rows.iterator().next();
                    OffsetDateTime first = row.getOffsetDateTime("oldest");
                    parked.set(row.getLong("parked"));
                    synchronized (this) {
                        if (generation.get() == seen) {
                            pending.set(row.getLong("pending"));
                            oldest = first == null ? null : first.toInstant();
                        }
                    }
                }, failure -> LOG.debugf("Outbox metrics not refreshed: %s", failure.getMessage()));
    }

    /** The relay published {@code count} events; {@code emptied}: its pass left no row behind (as it saw the table). */
    void relayed(int count, boolean emptied) {
        if (count > 0) {
            published.increment(count);
        }
        if (emptied) {
            synchronized (this) {
                generation.incrementAndGet();
                pending.set(0);
                oldest = null;
            }
        }
    }

    /** The producer refused {@code count} rows in a pass, {@code parkedNow} of which were parked. */
    void refused(int count, int parkedNow) {
        if (count > 0) {
            refused.increment(count);
        }
        if (parkedNow > 0) {
            parked.addAndGet(parkedNow);
        }
    }

    public long parked() {
        return parked.get();
    }

    public long pending() {
        return pending.get();
    }

    public double lagSeconds() {
        Instant first = oldest;
        if (first == null) {
            return 0;
        }
        Duration age = Duration.between(first, Instant.now());
        return age.isNegative() ? 0 : age.toMillis() / 1000.0;
    }
}
