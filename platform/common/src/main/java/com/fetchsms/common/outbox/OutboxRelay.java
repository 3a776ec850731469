package com.fetchsms.common.outbox;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fetchsms.common.tracing.TraceContext;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Publishes outbox rows to Kafka as CloudEvents (binary mode) and deletes them once the broker acknowledged them.
 *
 * <ul>
 * <li>Latency: {@link Outbox} wakes this replica's relay in-process when the writing transaction commits, and the
 * relay drains at once; wake-ups arriving during a pass coalesce into one more pass. Nothing is sent through
 * PostgreSQL (a {@code NOTIFY} in the writer's transaction would hold the cluster-wide notification lock through
 * every commit that writes the outbox, serialising them across all databases). When another replica holds the relay
 * lock, the pass is retried shortly ({@code fetchsms.outbox.contended-retry}, doubling while the lock stays taken, up
 * to the poll interval), since that replica's pass may have read the table before this replica's rows committed. A periodic poll covers rows left by a crash, and replicas
 * whose relay is disabled.</li>
 * <li>Order: a transaction-scoped advisory lock lets one relay of the service drain at a time, in insertion order, so
 * events of one key reach their partition in the order they were committed.</li>
 * <li>Delivery: at least once (a crash after the send and before the delete publishes again); consumers are
 * idempotent on {@code ce_id}.</li>
 * <li>Tracing: a row written inside a trace (a request, a consumed event) carries its {@code traceparent}; the record
 * is sent as part of that trace, so the Kafka connector's producer span is its child and the record's
 * {@code traceparent} header (CloudEvents distributed-tracing extension) carries the same trace id to the consumers.
 * A row written outside any trace starts a new one.</li>
 * </ul>
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Advisory lock key of the relay; each service has its own database, so one constant is enough. */
    private static final long RELAY_LOCK = 0x6f7574626f78L;

    @Inject
    Pool pool;
    @Inject
    Vertx vertx;
    @Inject
    OutboxConfig config;
    @Inject
    OutboxMetrics metrics;
    @Inject
    @Channel("fetchsms-outbox")
    MutinyEmitter<String> emitter;

    /** When the connector does not trace (and so does not write the header), the relay writes it itself. */
    @ConfigProperty(name = "mp.messaging.outgoing.fetchsms-outbox.tracing-enabled", defaultValue = "true")
    boolean connectorTraces;

    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    /** Passes in a row that found the relay lock taken by another replica (for the retry's back-off). */
    private final AtomicInteger contended = new AtomicInteger();
    private volatile boolean stopped;
    private volatile boolean enabled;
    private long timerId = -1;

    void start(@Observes StartupEvent event) {
        if (!config.relayEnabled()) {
            LOG.info("Outbox relay disabled on this replica");
            return;
        }
        enabled = true;
        timerId = vertx.setPeriodic(config.pollInterval().toMillis(), id -> wake());
        wake();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** Asks for a drain now; concurrent calls coalesce into one more pass. */
    public void wake() {
        if (stopped || !enabled) {
            return;
        }
        again.set(true);
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        again.set(false);
        drain().subscribe().with(pass -> {
            draining.set(false);
            if (pass.locked()) {
                contended.set(0);
            }
            if (!pass.locked()) {
                // another replica is draining: its pass may have read the table before our rows committed. Retry
                // soon, backing off while the lock stays taken (a replica stuck in a pass must not make us spin)
                long delay = Math.min(config.contendedRetry().toMillis() << Math.min(contended.getAndIncrement(), 10),
                        config.pollInterval().toMillis());
                vertx.setTimer(Math.max(1, delay), id -> wake());
            } else if (pass.published() >= config.batchSize() || again.get()) {
                wake();
            }
        }, failure -> {
            draining.set(false);
            LOG.warnf("Outbox relay pass failed, will retry: %s", failure.getMessage());
        });
    }

    /** One relay transaction; answers how many events it published (0 when another replica holds the lock). */
    public Uni<Integer> drainOnce() {
        return drain().map(Pass::published);
    }

    private Uni<Pass> drain() {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT pg_try_advisory_xact_lock($1)")
                .execute(Tuple.of(RELAY_LOCK))
                .chain(locked -> locked.iterator().next().getBoolean(0)
                        ? publishBatch(tx).map(published -> new Pass(true, published))
                        : Uni.createFrom().item(new Pass(false, 0))))
                .map(pass -> {
                    // committed: the rows are gone; a pass that took less than a batch emptied the table (as its
                    // snapshot saw it; a row committed since has sent a NOTIFY and gets the next pass)
                    if (pass.locked()) {
                        metrics.relayed(pass.published(), pass.published() < config.batchSize());
                    }
                    return pass;
                });
    }

    /** What one relay transaction did: whether it held the relay lock, and how many events it published. */
    private record Pass(boolean locked, int published) {
    }

    private Uni<Integer> publishBatch(SqlConnection tx) {
        return tx.preparedQuery("""
                SELECT id, topic, message_key, event_type, source, payload::text AS payload, occurred_at,
                       traceparent, tracestate
                FROM outbox_event ORDER BY seq LIMIT $1""")
                .execute(Tuple.of(config.batchSize()))
                .chain(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    List<Uni<Void>> sends = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getUUID("id"));
                        sends.add(send(row));
                    }
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    // join subscribes in list order, so the producer receives the records in commit order
                    return Uni.join().all(sends).andFailFast()
                            .chain(() -> tx.preparedQuery("DELETE FROM outbox_event WHERE id = ANY($1)")
                                    .execute(Tuple.tuple().addArrayOfUUID(ids.toArray(UUID[]::new))))
                            .replaceWith(ids.size());
                });
    }

    private Uni<Void> send(Row row) {
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> kafka = OutgoingKafkaRecordMetadata
                .<String>builder()
                .withTopic(row.getString("topic"))
                .withKey(row.getString("message_key"));
        if (!connectorTraces && row.getString("traceparent") != null) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(TraceContext.TRACEPARENT, row.getString("traceparent").getBytes(StandardCharsets.UTF_8));
            if (row.getString("tracestate") != null) {
                headers.add(TraceContext.TRACESTATE, row.getString("tracestate").getBytes(StandardCharsets.UTF_8));
            }
            kafka.withHeaders(headers);
        }
        OutgoingCloudEventMetadata<String> cloudEvent = OutgoingCloudEventMetadata.<String>builder()
                .withId(row.getUUID("id").toString())
                .withType(row.getString("event_type"))
                .withSource(URI.create(row.getString("source")))
                .withTimestamp(row.getOffsetDateTime("occurred_at").atZoneSameInstant(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .build();
        Instant writtenAt = row.getOffsetDateTime("occurred_at").toInstant();
        TraceContext trace = new TraceContext(row.getString("traceparent"), row.getString("tracestate"));
        Message<String> message = Message.of(row.getString("payload")).addMetadata(kafka.build())
                .addMetadata(cloudEvent)
                // the producer span's parent: the writer's trace, or none (a new trace) — never the relay's context
                .addMetadata(TracingMetadata.withCurrent(trace.toContext()));
        return emitter.sendMessage(message).invoke(() -> metrics.acknowledged(writtenAt, Instant.now()));
    }
}
