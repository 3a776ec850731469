package com.fetchsms.common.outbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.events.EventPayload;
import com.fetchsms.common.events.EventType;
import com.fetchsms.common.tracing.TraceContext;

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
 */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper mapper;
    private final String source;
    private final OutboxRelay relay;
    /** Trace contexts bound to a connection by a batch consumer, one event at a time (see {@link #bindTrace}). */
    private final Map<SqlConnection, TraceContext> boundTraces = new ConcurrentHashMap<>();

    public Outbox(ObjectMapper mapper, @ConfigProperty(name = "quarkus.application.name") String applicationName,
            OutboxRelay relay) {
        this.mapper = mapper;
        this.source = "/fetchsms/" + applicationName;
        this.relay = relay;
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
        int n = payloads.size();
        UUID[] ids = new UUID[n];
        String[] topics = new String[n];
        String[] keys = new String[n];
        String[] types = new String[n];
        String[] jsons = new String[n];
        for (int i = 0; i < n; i++) {
            EventPayload payload = payloads.get(i);
            EventType type = EventType.of(payload.getClass());
            ids[i] = UUID.randomUUID();
            topics[i] = type.topic();
            keys[i] = payload.key();
            types[i] = type.type();
            try {
                jsons[i] = mapper.writeValueAsString(payload);
            } catch (JsonProcessingException e) {
                return Uni.createFrom().failure(new IllegalStateException("Cannot serialise " + type.type(), e));
            }
        }
        TraceContext bound = boundTraces.get(tx);
        TraceContext trace = bound != null ? bound : TraceContext.current();
        OffsetDateTime now = Instant.now().atOffset(ZoneOffset.UTC);
        Transaction transaction = tx.transaction();
        // WITH ORDINALITY keeps the caller's order in the rows' insertion (the relay publishes by created order)
        return tx.preparedQuery("""
                INSERT INTO outbox_event (id, topic, message_key, event_type, source, payload, occurred_at,
                                          traceparent, tracestate)
                SELECT e.id, e.topic, e.message_key, e.event_type, $5, e.payload::jsonb, $6, $7, $8
                FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $9::text[])
                     WITH ORDINALITY AS e (id, topic, message_key, event_type, payload, position)
                ORDER BY e.position""")
                .execute(Tuple.tuple().addArrayOfUUID(ids).addArrayOfString(topics).addArrayOfString(keys)
                        .addArrayOfString(types).addString(source).addOffsetDateTime(now)
                        .addString(trace.traceparent()).addString(trace.tracestate()).addArrayOfString(jsons))
                .invoke(() -> wakeRelayOnCommit(transaction))
                .replaceWith(() -> List.of(ids));
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
