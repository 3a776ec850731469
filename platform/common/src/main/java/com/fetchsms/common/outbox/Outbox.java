package com.fetchsms.common.outbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.events.EventPayload;
import com.fetchsms.common.events.EventType;
import com.fetchsms.common.events.Topics;
import com.fetchsms.common.tracing.TraceContext;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes an event into the {@code outbox_event} table on the caller's connection, so it commits or rolls back with
 * the business change that caused it. {@link OutboxRelay} publishes it afterwards: this replica's relay is woken
 * in-process as soon as the writing transaction commits (never on a rollback), so the event leaves within
 * milliseconds without any lock or notification inside the writer's transaction. There is no other way to send an
 * event.
 *
 * <p>
 * The row also keeps the W3C trace context of the request or event being handled ({@code traceparent},
 * {@code tracestate}), so the relay continues that trace on the Kafka record although it publishes later, from
 * another context.
 *
 * <p>
 * A service publishes only to the topics it declares ({@code fetchsms.outbox.topics}): an event for another topic is
 * refused here, before anything is written, so the transaction that wanted it fails. On Kubernetes each service's
 * Kafka user may write exactly those topics (decision 0031); refusing here makes a missing declaration fail in the
 * service's tests and on the local stack, not only at a production broker.
 */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper mapper;
    private final String source;
    private final OutboxRelay relay;
    private final Set<String> topics;
    /** Trace contexts bound to a connection by a batch consumer, one event at a time (see {@link #bindTrace}). */
    private final Map<SqlConnection, TraceContext> boundTraces = new ConcurrentHashMap<>();
    /** Rows published on a connection whose writes are deferred to one statement (see {@link #defer}). */
    private final Map<SqlConnection, List<Row>> deferred = new ConcurrentHashMap<>();

    public Outbox(ObjectMapper mapper, @ConfigProperty(name = "quarkus.application.name") String applicationName,
            OutboxRelay relay, OutboxConfig config) {
        this.mapper = mapper;
        this.source = "/fetchsms/" + applicationName;
        this.relay = relay;
        this.topics = config.topics().orElse(Set.of());
    }

    /**
     * At start: every declared topic is one of the platform's, and a relay that sends arrival watermarks (to
     * {@code sms.inbound}) declares that topic; a service configured otherwise does not start.
     */
    void checkTopics(@Observes StartupEvent event, OutboxConfig config) {
        for (String topic : topics) {
            if (!Topics.ALL.contains(topic)) {
                throw new IllegalStateException("fetchsms.outbox.topics names " + topic
                        + ", which is not a topic of the platform (Topics.ALL: " + Topics.ALL + ")");
            }
        }
        String watermarks = EventType.SMS_ARRIVAL_WATERMARK.topic();
        if (config.arrivalWatermark().enabled() && !topics.contains(watermarks)) {
            throw new IllegalStateException("fetchsms.outbox.arrival-watermark.enabled sends to " + watermarks
                    + ", which fetchsms.outbox.topics does not declare");
        }
    }

    /** The topics this service's outbox may publish to ({@code fetchsms.outbox.topics}). */
    public Set<String> topics() {
        return topics;
    }

    /**
     * Makes {@code trace} the trace context of the events written on {@code tx} until {@link #unbindTrace}: a batch
     * consumer applies several events in one transaction, each written event must continue the trace of the event
     * that caused it, and the reactive chain of a handler does not carry a thread-local context across its I/O.
     */
    public void bindTrace(SqlConnection tx, TraceContext trace) {
        boundTraces.put(tx, trace);
    }

    public void unbindTrace(SqlConnection tx) {
        boundTraces.remove(tx);
    }

    /** Adds {@code payload} to the outbox inside the transaction of {@code tx}; returns the event id. */
    public Uni<UUID> publish(SqlConnection tx, EventPayload payload) {
        return publishAll(tx, List.of(payload)).map(ids -> ids.get(0));
    }

    /**
     * Adds every payload to the outbox inside the transaction of {@code tx} with one statement (a batch writes
     * hundreds of events: one round trip instead of one per event), in the order given, all continuing the same
     * trace; returns the event ids in that order.
     */
    public Uni<List<UUID>> publishAll(SqlConnection tx, List<? extends EventPayload> payloads) {
        if (payloads.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        TraceContext bound = boundTraces.get(tx);
        TraceContext trace = bound != null ? bound : TraceContext.current();
        List<Row> rows = new ArrayList<>(payloads.size());
        for (EventPayload payload : payloads) {
            EventType type = EventType.of(payload.getClass());
            if (!topics.contains(type.topic())) {
                return Uni.createFrom().failure(new IllegalStateException(source + " does not publish to "
                        + type.topic() + " (" + type.type() + "): fetchsms.outbox.topics declares only " + topics));
            }
            try {
                rows.add(new Row(UUID.randomUUID(), type, payload.key(), mapper.writeValueAsString(payload), trace));
            } catch (JsonProcessingException e) {
                return Uni.createFrom().failure(new IllegalStateException("Cannot serialise " + type.type(), e));
            }
        }
        List<UUID> ids = rows.stream().map(Row::id).toList();
        List<Row> deferred = this.deferred.get(tx);
        if (deferred != null) {
            deferred.addAll(rows);
            return Uni.createFrom().item(ids);
        }
        return insert(tx, rows).replaceWith(ids);
    }

    /**
     * From now until {@link #flush}, events published on {@code tx} are kept in memory and written by {@code flush} with
     * one statement, in the order they were published, each with the trace it was published in: a batch consumer
     * writes one row per event it applied, and saves a round trip per event.
     */
    public void defer(SqlConnection tx) {
        deferred.put(tx, new ArrayList<>());
    }

    /** Writes what was published on {@code tx} since {@link #defer}, and stops deferring. */
    public Uni<Void> flush(SqlConnection tx) {
        List<Row> rows = deferred.remove(tx);
        return rows == null || rows.isEmpty() ? Uni.createFrom().voidItem() : insert(tx, rows);
    }

    /** Forgets what was deferred on {@code tx} (its transaction failed). */
    public void discard(SqlConnection tx) {
        deferred.remove(tx);
    }

    /** An outbox row to write. */
    private record Row(UUID id, EventType type, String key, String json, TraceContext trace) {
    }

    private Uni<Void> insert(SqlConnection tx, List<Row> rows) {
        int n = rows.size();
        UUID[] ids = new UUID[n];
        String[] topics = new String[n];
        String[] keys = new String[n];
        String[] types = new String[n];
        String[] jsons = new String[n];
        String[] traceparents = new String[n];
        String[] tracestates = new String[n];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            ids[i] = row.id();
            topics[i] = row.type().topic();
            keys[i] = row.key();
            types[i] = row.type().type();
            jsons[i] = row.json();
            traceparents[i] = row.trace().traceparent();
            tracestates[i] = row.trace().tracestate();
        }
        OffsetDateTime now = Instant.now().atOffset(ZoneOffset.UTC);
        Transaction transaction = tx.transaction();
        // WITH ORDINALITY keeps the caller's order in the rows' insertion (the relay publishes by created order)
        return tx.preparedQuery("""
                INSERT INTO outbox_event (id, topic, message_key, event_type, source, payload, occurred_at,
                                          traceparent, tracestate)
                SELECT e.id, e.topic, e.message_key, e.event_type, $5, e.payload::jsonb, $6, e.traceparent,
                       e.tracestate
                FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $7::text[], $8::text[], $9::text[])
                     WITH ORDINALITY AS e (id, topic, message_key, event_type, payload, traceparent, tracestate,
                                           position)
                ORDER BY e.position""")
                .execute(Tuple.tuple().addArrayOfUUID(ids).addArrayOfString(topics).addArrayOfString(keys)
                        .addArrayOfString(types).addString(source).addOffsetDateTime(now)
                        .addArrayOfString(jsons).addArrayOfString(traceparents).addArrayOfString(tracestates))
                .invoke(() -> wakeRelayOnCommit(transaction))
                .replaceWithVoid();
    }

    /** Wakes this replica's relay once the row is visible: at commit, or now when the write was not in a transaction. */
    private void wakeRelayOnCommit(Transaction transaction) {
        if (transaction == null) {
            relay.wake();
            return;
        }
        transaction.completion().subscribe().with(committed -> relay.wake(), rolledBack -> {
            // rolled back: the row is gone, nothing to publish
        });
    }
}
