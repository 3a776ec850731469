package com.fetchsms.common.outbox;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.events.EventPayload;
import com.fetchsms.common.events.EventType;
import com.fetchsms.common.tracing.TraceContext;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes an event into the {@code outbox_event} table on the caller's connection, so it commits or rolls back with
 * the business change that caused it. {@link OutboxRelay} publishes it afterwards. There is no other way to send an
 * event.
 *
 * <p>
 * The row also keeps the W3C trace context of the request or event being handled ({@code traceparent},
 * {@code tracestate}), so the relay continues that trace on the Kafka record although it publishes later, from
 * another context.
 */
@ApplicationScoped
public class Outbox {

    static final String NOTIFY_CHANNEL = "fetchsms_outbox";

    private final ObjectMapper mapper;
    private final String source;

    public Outbox(ObjectMapper mapper, @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.mapper = mapper;
        this.source = "/fetchsms/" + applicationName;
    }

    /** Adds {@code payload} to the outbox inside the transaction of {@code tx}; returns the event id. */
    public Uni<UUID> publish(SqlConnection tx, EventPayload payload) {
        EventType type = EventType.of(payload.getClass());
        UUID id = UUID.randomUUID();
        String json;
        try {
            json = mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("Cannot serialise " + type.type(), e));
        }
        TraceContext trace = TraceContext.current();
        return tx.preparedQuery("""
                INSERT INTO outbox_event (id, topic, message_key, event_type, source, payload, occurred_at,
                                          traceparent, tracestate)
                VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7, $8, $9)""")
                .execute(Tuple.tuple().addUUID(id).addString(type.topic()).addString(payload.key())
                        .addString(type.type()).addString(source).addString(json)
                        .addOffsetDateTime(Instant.now().atOffset(java.time.ZoneOffset.UTC))
                        .addString(trace.traceparent()).addString(trace.tracestate()))
                .chain(() -> tx.query("NOTIFY " + NOTIFY_CHANNEL).execute())
                .replaceWith(id);
    }
}
