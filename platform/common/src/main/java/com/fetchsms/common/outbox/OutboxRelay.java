package com.fetchsms.common.outbox;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.events.EventType;
import com.fetchsms.common.events.SmsArrivalWatermark;
import com.fetchsms.common.tracing.TraceContext;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
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
 * events of one key reach their partition in the order they were committed. After a pass met an unavailable broker,
 * the next passes send one row at a time and stop at the first such failure, until a pass meets none: a record that
 * failed is never overtaken by a later one of its key when the broker comes back (a broker that comes back within
 * the very pass that first met it is not covered).</li>
 * <li>Delivery: at least once (a crash after the send and before the delete, or before the deleting pass, committed
 * without waiting for the disk, reached it, publishes again); consumers are
 * idempotent on {@code ce_id}.</li>
 * <li>One bad row never blocks the others: each row's send succeeds or fails on its own; acknowledged rows are
 * deleted, the others stay. A failure while the broker is unavailable (a Kafka {@code RetriableException}: timeouts,
 * leader changes, an unknown topic) or refuses this producer altogether (authentication, authorisation) changes nothing
 * and the row is retried. Any other failure is a refusal of that row
 * (a record larger than the broker accepts, an invalid topic, a payload that cannot be sent): it is counted in
 * {@code attempts}, later rows of the same topic and key wait behind it, and at {@code fetchsms.outbox.max-attempts}
 * refusals the row is parked ({@code parked_at}; logged at ERROR with its id and event type, counted by
 * {@code fetchsms_outbox_parked}), skipped by later passes until an operator re-queues it, and the later rows of its
 * key flow again (decision 0015).</li>
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
    private static final String CHANNEL = "fetchsms-outbox";
    /** How far behind the database's clock an arrival watermark stays, at least (see {@link #arrivalBound}). */
    static final Duration WATERMARK_ALLOWANCE = Duration.ofSeconds(1);

    @Inject
    Pool pool;
    @Inject
    Vertx vertx;
    @Inject
    OutboxConfig config;
    @Inject
    OutboxMetrics metrics;
    @Inject
    @Channel(CHANNEL)
    MutinyEmitter<String> emitter;
    @Inject
    KafkaClientService kafkaClients;
    @Inject
    ObjectMapper mapper;
    @ConfigProperty(name = "quarkus.application.name")
    String applicationName;

    /** When the connector does not trace (and so does not write the header), the relay writes it itself. */
    @ConfigProperty(name = "mp.messaging.outgoing.fetchsms-outbox.tracing-enabled", defaultValue = "true")
    boolean connectorTraces;

    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    /** Passes in a row that found the relay lock taken by another replica (for the retry's back-off). */
    private final AtomicInteger contended = new AtomicInteger();
    /** {@link System#nanoTime()} of the last arrival watermark sent (a day before the start: the first pass sends one). */
    private volatile long lastWatermark = System.nanoTime() - Duration.ofDays(1).toNanos();
    private volatile boolean hiddenSessionsLogged;
    private volatile boolean stopped;
    private volatile boolean enabled;
    /**
     * The last pass met an unavailable broker: until a pass meets none, rows are sent one at a time and a pass stops
     * sending at its first such failure (see {@link #publishBatch}).
     */
    private volatile boolean brokerTrouble;
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
            } else if (pass.published() > 0 && pass.fetched() >= config.batchSize() || again.get()) {
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
        boolean watermark = watermarkDue();
        // The pass commits without waiting for its WAL to reach the disk (synchronous_commit off for this transaction
        // only): what it writes is the deletion of published rows and refusal counts, and a crash that loses them
        // makes the relay publish those rows again, which consumers already take as duplicates (idempotent on ce_id).
        // The pass, and the events queued behind it, no longer wait for a disk flush.
        return pool.withTransaction(tx -> tx.preparedQuery(
                """
                        SELECT pg_try_advisory_xact_lock($1), clock_timestamp(), set_config('synchronous_commit', 'off', true)""")
                .execute(Tuple.of(RELAY_LOCK))
                .chain(locked -> {
                    Row row = locked.iterator().next();
                    if (!row.getBoolean(0)) {
                        return Uni.createFrom().item(new Pass(false, 0, 0, 0, 0));
                    }
                    if (!watermark) {
                        return publishBatch(tx);
                    }
                    // the clock is read before the running transactions are (a later start is after it)
                    Instant clock = row.getOffsetDateTime(1).toInstant();
                    return arrivalBound(tx, clock)
                            .chain(bound -> publishBatch(tx).call(() -> sendWatermarks(tx, bound)));
                }))
                .map(pass -> {
                    // committed: the published rows are gone, the refused ones counted; a pass that took less than a
                    // batch and left nothing to retry emptied the table (as its snapshot saw it; a row committed since
                    // has woken the relay and gets the next pass)
                    if (pass.locked()) {
                        metrics.relayed(pass.published(),
                                pass.fetched() < config.batchSize()
                                        && pass.published() + pass.parked() == pass.fetched());
                        metrics.refused(pass.refused(), pass.parked());
                    }
                    return pass;
                });
    }

    private boolean watermarkDue() {
        return config.arrivalWatermark().enabled()
                && System.nanoTime() - lastWatermark >= config.arrivalWatermark().interval().toNanos();
    }

    /**
     * The latest time an arrival watermark may promise before this pass publishes (decision 0016): a second before
     * {@code clock} (a transaction that has just begun may not show in {@code pg_stat_activity} yet), and never past
     * the start of a transaction still running in this database (its rows, invisible now, are written at its start
     * and could be published after the watermark). Null when some session of the database cannot be seen (another
     * role without {@code pg_read_all_stats}): then no watermark is promised.
     */
    private Uni<Instant> arrivalBound(SqlConnection tx, Instant clock) {
        return tx.query("""
                SELECT min(xact_start) FILTER (WHERE pid <> pg_backend_pid() AND backend_type = 'client backend')
                           AS oldest,
                       count(*) FILTER (WHERE query = '<insufficient privilege>') AS hidden
                FROM pg_stat_activity WHERE datname = current_database()""")
                .execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    if (row.getLong("hidden") > 0) {
                        if (!hiddenSessionsLogged) {
                            hiddenSessionsLogged = true;
                            LOG.errorf("Outbox relay: %d sessions of this database are hidden from its role (grant it"
                                    + " pg_read_all_stats): no arrival watermark is sent, expiries wait",
                                    row.getLong("hidden"));
                        }
                        return null;
                    }
                    Instant bound = clock.minus(WATERMARK_ALLOWANCE);
                    java.time.OffsetDateTime oldest = row.getOffsetDateTime("oldest");
                    return oldest != null && oldest.toInstant().isBefore(bound) ? oldest.toInstant() : bound;
                });
    }

    /**
     * After the pass: one arrival watermark to every partition of {@code sms.inbound}, behind the rows of that topic
     * still unpublished (a refused or not yet acknowledged row holds it back; a parked one does not), sent on the
     * producer that has just sent, and had acknowledged, every row the pass read. Sent within the pass, so under the
     * relay lock. A failure is logged; the next interval sends a new one.
     */
    private Uni<Void> sendWatermarks(SqlConnection tx, Instant bound) {
        if (bound == null) {
            return Uni.createFrom().voidItem();
        }
        EventType type = EventType.SMS_ARRIVAL_WATERMARK;
        return tx.preparedQuery("SELECT min(written_at) FROM outbox_event WHERE topic = $1 AND parked_at IS NULL")
                .execute(Tuple.of(type.topic()))
                .chain(rows -> {
                    java.time.OffsetDateTime unpublished = rows.iterator().next().getOffsetDateTime(0);
                    Instant until = unpublished != null && unpublished.toInstant().isBefore(bound)
                            ? unpublished.toInstant()
                            : bound;
                    return kafkaClients.getProducer(CHANNEL).partitionsFor(type.topic()).chain(partitions -> {
                        List<Uni<Void>> sends = new ArrayList<>();
                        for (int p = 0; p < partitions.size(); p++) {
                            sends.add(sendWatermark(type, SmsArrivalWatermark.of(until, p, partitions.size())));
                        }
                        return Uni.join().all(sends).andFailFast().replaceWithVoid();
                    });
                })
                .invoke(() -> lastWatermark = System.nanoTime())
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Outbox relay: arrival watermark not sent, next interval retries: %s",
                            failure.getMessage());
                    return null;
                });
    }

    private Uni<Void> sendWatermark(EventType type, SmsArrivalWatermark mark) {
        String json;
        try {
            json = mapper.writeValueAsString(mark);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(type.topic()).withPartition(mark.partition()).withKey(mark.key()).build();
        OutgoingCloudEventMetadata<String> cloudEvent = OutgoingCloudEventMetadata.<String>builder()
                .withId(UUID.randomUUID().toString())
                .withType(type.type())
                .withSource(URI.create("/fetchsms/" + applicationName))
                .withTimestamp(ZonedDateTime.now(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .build();
        return emitter.sendMessage(Message.of(json).addMetadata(kafka).addMetadata(cloudEvent));
    }

    /**
     * What one relay transaction did: whether it held the relay lock, how many rows it read, published, saw refused
     * by the producer and parked.
     */
    private record Pass(boolean locked, int fetched, int published, int refused, int parked) {
    }

    /** A row read by a pass and the outcome of its send: null when the broker acknowledged it. */
    private record Sent(UUID id, String eventType, Throwable failure) {
    }

    private Uni<Pass> publishBatch(SqlConnection tx) {
        // parked rows are skipped; a row behind an earlier refused row of the same topic and key waits for it
        return tx.preparedQuery("""
                SELECT o.id, o.topic, o.message_key, o.event_type, o.source, o.payload::text AS payload,
                       o.occurred_at, o.traceparent, o.tracestate
                FROM outbox_event o
                WHERE o.parked_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM outbox_event r
                                  WHERE r.attempts > 0 AND r.parked_at IS NULL AND r.topic = o.topic
                                    AND r.message_key = o.message_key AND r.seq < o.seq)
                ORDER BY o.seq LIMIT $1""")
                .execute(Tuple.of(config.batchSize()))
                .chain(rows -> {
                    if (brokerTrouble && rows.size() > 0) {
                        return sendOneAtATime(rows).chain(outcomes -> settle(tx, outcomes));
                    }
                    List<Uni<Sent>> sends = new ArrayList<>();
                    for (Row row : rows) {
                        UUID id = row.getUUID("id");
                        String type = row.getString("event_type");
                        sends.add(send(row).replaceWith(() -> new Sent(id, type, null))
                                .onFailure().recoverWithItem(failure -> new Sent(id, type, failure)));
                    }
                    if (sends.isEmpty()) {
                        return Uni.createFrom().item(new Pass(true, 0, 0, 0, 0));
                    }
                    // join subscribes in list order, so the producer receives the records in commit order
                    return Uni.join().all(sends).andFailFast().chain(outcomes -> settle(tx, outcomes));
                });
    }

    /**
     * While the broker is (or was, at the last pass) unavailable: each row is sent once the previous one's send is
     * settled, and after the first send that fails because the broker is unavailable no later row is sent (each keeps
     * that failure and is retried by the next pass). Sent together, a record whose send failed (e.g. waiting for the
     * topic's metadata) could be followed by a later record of the same key that succeeds once the broker is back: the
     * key's events would reach their partition out of order.
     */
    private Uni<List<Sent>> sendOneAtATime(Iterable<Row> rows) {
        Uni<List<Sent>> chain = Uni.createFrom().item(new ArrayList<>());
        for (Row row : rows) {
            UUID id = row.getUUID("id");
            String type = row.getString("event_type");
            chain = chain.chain(sent -> {
                Throwable previous = sent.isEmpty() ? null : sent.get(sent.size() - 1).failure();
                if (previous != null && brokerUnavailable(previous)) {
                    sent.add(new Sent(id, type, previous));
                    return Uni.createFrom().item(sent);
                }
                return send(row).replaceWith(() -> new Sent(id, type, null))
                        .onFailure().recoverWithItem(failure -> new Sent(id, type, failure))
                        .map(outcome -> {
                            sent.add(outcome);
                            return sent;
                        });
            });
        }
        return chain;
    }

    /** Deletes the acknowledged rows and counts the refusals (parking the rows that reached the limit). */
    private Uni<Pass> settle(SqlConnection tx, List<Sent> outcomes) {
        List<UUID> published = new ArrayList<>();
        List<UUID> refusedIds = new ArrayList<>();
        List<String> refusedErrors = new ArrayList<>();
        int unavailable = 0;
        Throwable firstUnavailable = null;
        for (Sent sent : outcomes) {
            if (sent.failure() == null) {
                published.add(sent.id());
            } else if (brokerUnavailable(sent.failure())) {
                unavailable++;
                firstUnavailable = firstUnavailable == null ? sent.failure() : firstUnavailable;
            } else {
                refusedIds.add(sent.id());
                refusedErrors.add(describe(sent.failure()));
            }
        }
        brokerTrouble = unavailable > 0;
        if (firstUnavailable != null) {
            LOG.warnf("Outbox relay: %d of %d events not published, will retry: %s", unavailable, outcomes.size(),
                    firstUnavailable.getMessage());
        }
        Uni<Void> delete = published.isEmpty()
                ? Uni.createFrom().voidItem()
                : tx.preparedQuery("DELETE FROM outbox_event WHERE id = ANY($1)")
                        .execute(Tuple.tuple().addArrayOfUUID(published.toArray(UUID[]::new))).replaceWithVoid();
        return delete.chain(() -> refusedIds.isEmpty()
                ? Uni.createFrom().item(0)
                : refuse(tx, refusedIds, refusedErrors))
                .map(parked -> new Pass(true, outcomes.size(), published.size(), refusedIds.size(), parked));
    }

    private Uni<Integer> refuse(SqlConnection tx, List<UUID> ids, List<String> errors) {
        return tx.preparedQuery("""
                UPDATE outbox_event o
                SET attempts = o.attempts + 1, last_error = r.error,
                    parked_at = CASE WHEN o.attempts + 1 >= $3 THEN now() END
                FROM unnest($1::uuid[], $2::text[]) AS r (id, error)
                WHERE o.id = r.id
                RETURNING o.id, o.event_type, o.attempts, o.parked_at IS NOT NULL AS parked, r.error""")
                .execute(Tuple.tuple().addArrayOfUUID(ids.toArray(UUID[]::new))
                        .addArrayOfString(errors.toArray(String[]::new)).addInteger(config.maxAttempts()))
                .map(rows -> {
                    int parked = 0;
                    for (Row row : rows) {
                        if (row.getBoolean("parked")) {
                            parked++;
                            LOG.errorf("Outbox row %s (%s) parked after %d refused attempts, later events flow past it;"
                                    + " re-queue it once the cause is fixed (docs/operations.md): %s",
                                    row.getUUID("id"), row.getString("event_type"), row.getInteger("attempts"),
                                    row.getString("error"));
                        } else {
                            LOG.warnf("Outbox row %s (%s) refused (attempt %d of %d), will retry: %s",
                                    row.getUUID("id"), row.getString("event_type"), row.getInteger("attempts"),
                                    config.maxAttempts(), row.getString("error"));
                        }
                    }
                    return parked;
                });
    }

    /**
     * Whether a send failed because the broker could not take it now (a Kafka {@code RetriableException} anywhere in
     * the causes: timeouts, no leader, unknown topic or partition, disconnects) or would take nothing from this
     * producer (authentication, authorisation: the platform's configuration, not the row), as opposed to refusing this
     * record.
     */
    static boolean brokerUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException || t instanceof AuthorizationException
                    || t instanceof AuthenticationException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        String text = failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return text.length() > 1000 ? text.substring(0, 1000) : text;
    }

    private Uni<Void> send(Row row) {
        try {
            return message(row);
        } catch (RuntimeException e) {
            // a row whose metadata cannot even be built (e.g. a malformed source) is refused like any other
            return Uni.createFrom().failure(e);
        }
    }

    private Uni<Void> message(Row row) {
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
