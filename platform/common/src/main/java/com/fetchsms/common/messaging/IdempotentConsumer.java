package com.fetchsms.common.messaging;

import java.time.Instant;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.events.EventPayload;
import com.fetchsms.common.events.EventType;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Applies each event at most once per consumer: the event id is recorded in {@code processed_event} in the same
 * transaction as the handler's effect, so a redelivery (relay resend, consumer restart, rebalance) changes nothing.
 *
 * <p>
 * A handler failing because the database or network is away is retried with backoff for as long as it takes (the
 * partition waits; nothing is lost). Any other failure is retried {@code fetchsms.consumer.max-retries} times, then
 * the message is nacked and its channel's {@code failure-strategy} decides (the services use
 * {@code dead-letter-queue}). Events of types the consumer
 * does not handle are acknowledged and skipped.
 */
@ApplicationScoped
public class IdempotentConsumer {

    private static final Logger LOG = Logger.getLogger(IdempotentConsumer.class);

    /** Applies an event inside the consumer's transaction. */
    @FunctionalInterface
    public interface Handler {
        Uni<Void> apply(SqlConnection tx, EventEnvelope event);
    }

    private final Pool pool;
    private final ObjectMapper mapper;
    private final ConsumerConfig config;

    public IdempotentConsumer(Pool pool, ObjectMapper mapper, ConsumerConfig config) {
        this.pool = pool;
        this.mapper = mapper;
        this.config = config;
    }

    /**
     * Handles one Kafka message for {@code consumer}, applying {@code handler} to the event types in {@code types};
     * acks or nacks the message.
     */
    public Uni<Void> consume(String consumer, Set<EventType> types, Message<String> message, Handler handler) {
        EventEnvelope event;
        try {
            event = decode(message);
        } catch (InvalidEventException e) {
            LOG.errorf("Rejecting an event for %s: %s", consumer, e.getMessage());
            return Uni.createFrom().completionStage(message.nack(e));
        }
        if (event.type() == null || !types.contains(event.type())) {
            return Uni.createFrom().completionStage(message.ack());
        }
        return applyOnce(consumer, event, handler)
                // the database or the network is away: wait for it as long as it takes (never dead-letter a refund
                // or a code because PostgreSQL failed over)
                .onFailure(IdempotentConsumer::isTransient).invoke(failure -> LOG.warnf(
                        "%s waits to apply %s %s: %s", consumer, event.type().type(), event.id(), failure.getMessage()))
                .onFailure(IdempotentConsumer::isTransient).retry()
                .withBackOff(config.initialBackoff(), config.maxBackoff()).indefinitely()
                // anything else may be a passing conflict: a few tries, then the channel's failure strategy
                .onFailure().retry()
                .withBackOff(config.initialBackoff(), config.maxBackoff())
                .atMost(config.maxRetries())
                .onItemOrFailure().transformToUni((applied, failure) -> {
                    if (failure != null) {
                        LOG.errorf(failure, "%s could not apply %s %s", consumer, event.type().type(), event.id());
                        return Uni.createFrom().completionStage(message.nack(failure));
                    }
                    return Uni.createFrom().completionStage(message.ack());
                });
    }

    /** Runs the handler in a transaction unless this consumer has already applied the event; true when applied now. */
    public Uni<Boolean> applyOnce(String consumer, EventEnvelope event, Handler handler) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                INSERT INTO processed_event (consumer, event_id, event_type) VALUES ($1, $2, $3)
                ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(consumer, event.id(), event.type().type()))
                .chain(inserted -> inserted.rowCount() == 0
                        ? Uni.createFrom().item(false)
                        : handler.apply(tx, event).replaceWith(true)));
    }

    /** Failures that say nothing about the event: the database or the network is unavailable for now. */
    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg) {
                String state = String.valueOf(pg.getSqlState());
                // 08 connection, 53 resources, 57 operator intervention (shutdown, failover), 40001/40P01 retry
                return state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                        || state.equals("40001") || state.equals("40P01");
            }
            if (cause instanceof java.io.IOException || cause instanceof java.util.concurrent.TimeoutException
                    || cause instanceof io.vertx.sqlclient.ClosedConnectionException
                    || cause instanceof io.vertx.core.VertxException
                    || cause instanceof io.vertx.core.impl.NoStackTraceThrowable) {
                return true;
            }
        }
        return false;
    }

    EventEnvelope decode(Message<String> message) {
        IncomingCloudEventMetadata<?> cloudEvent = message.getMetadata(IncomingCloudEventMetadata.class)
                .orElseThrow(() -> new InvalidEventException("not a CloudEvent (no ce_id/ce_type headers)", null));
        EventType type = EventType.ofType(cloudEvent.getType()).orElse(null);
        String key = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getKey() == null ? null : m.getKey().toString()).orElse(null);
        Instant time = cloudEvent.getTimeStamp().map(java.time.ZonedDateTime::toInstant).orElse(null);
        String source = cloudEvent.getSource() == null ? null : cloudEvent.getSource().toString();
        if (type == null) {
            // an event type this build does not know (e.g. a newer version): skip it, do not fail the channel
            return new EventEnvelope(cloudEvent.getId(), null, source, time, key, null);
        }
        Object data = message.getPayload();
        try {
            EventPayload payload = (EventPayload) mapper.readValue(String.valueOf(data), type.payloadType());
            return new EventEnvelope(cloudEvent.getId(), type, source, time, key, payload);
        } catch (Exception e) {
            throw new InvalidEventException("unreadable " + type.type() + " payload: " + e.getMessage(), e);
        }
    }
}
