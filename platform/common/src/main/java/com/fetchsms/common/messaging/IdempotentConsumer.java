package com.fetchsms.common.messaging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.events.EventPayload;
import com.fetchsms.common.error.TransientFailures;
import com.fetchsms.common.events.EventType;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
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
 *
 * <p>
 * Every outcome is counted in {@code fetchsms_consumer_events_total{consumer, outcome}} ({@code processed},
 * {@code duplicate}, {@code skipped}, {@code dead_lettered}). The handler runs inside the trace of the Kafka
 * connector's consumer span (Quarkus attaches it to the message's Vert.x context; the span is the child of the
 * producer's, from the record's {@code traceparent}), so what it logs carries that trace id and the events it writes
 * to the outbox continue the trace.
 */
@ApplicationScoped
public class IdempotentConsumer {

    private static final Logger LOG = Logger.getLogger(IdempotentConsumer.class);

    /** Applies an event inside the consumer's transaction. */
    @FunctionalInterface
    public interface Handler {
        Uni<Void> apply(SqlConnection tx, EventEnvelope event);
    }

    /** Outcomes of {@code fetchsms_consumer_events_total}. */
    static final String PROCESSED = "processed";
    static final String DUPLICATE = "duplicate";
    static final String SKIPPED = "skipped";
    static final String DEAD_LETTERED = "dead_lettered";
    private static final List<String> OUTCOMES = List.of(PROCESSED, DUPLICATE, SKIPPED, DEAD_LETTERED);

    private final Pool pool;
    private final ObjectMapper mapper;
    private final ConsumerConfig config;
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** Actions to run once the transaction of a handler committed, by that transaction's connection. */
    private final Map<SqlConnection, List<Runnable>> afterCommit = new ConcurrentHashMap<>();

    public IdempotentConsumer(Pool pool, ObjectMapper mapper, ConsumerConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.mapper = mapper;
        this.config = config;
        this.registry = registry;
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
            count(consumer, DEAD_LETTERED);
            return Uni.createFrom().completionStage(message.nack(e));
        }
        if (event.type() == null || !types.contains(event.type())) {
            count(consumer, SKIPPED);
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
                        count(consumer, DEAD_LETTERED);
                        return Uni.createFrom().completionStage(message.nack(failure));
                    }
                    count(consumer, applied ? PROCESSED : DUPLICATE);
                    return Uni.createFrom().completionStage(message.ack());
                });
    }

    /** Runs the handler in a transaction unless this consumer has already applied the event; true when applied now. */
    public Uni<Boolean> applyOnce(String consumer, EventEnvelope event, Handler handler) {
        return Uni.createFrom().deferred(() -> {
            // one list per attempt: an attempt that rolled back leaves nothing to run
            List<Runnable> actions = new ArrayList<>();
            AtomicReference<SqlConnection> connection = new AtomicReference<>();
            return pool.withTransaction(tx -> {
                connection.set(tx);
                afterCommit.put(tx, actions);
                return tx.preparedQuery("""
                        INSERT INTO processed_event (consumer, event_id, event_type) VALUES ($1, $2, $3)
                        ON CONFLICT DO NOTHING""")
                        .execute(Tuple.of(consumer, event.id(), event.type().type()))
                        .chain(inserted -> inserted.rowCount() == 0
                                ? Uni.createFrom().item(false)
                                : handler.apply(tx, event).replaceWith(true));
            }).eventually(() -> {
                SqlConnection tx = connection.get();
                if (tx != null) {
                    afterCommit.remove(tx);
                }
            }).invoke(applied -> actions.forEach(IdempotentConsumer::runQuietly));
        });
    }

    /**
     * Runs {@code action} once the handler's transaction {@code tx} has committed (not at all if it rolls back), e.g.
     * to count a fact in a metric exactly once. Only inside a handler of {@link #consume}/{@link #applyOnce}.
     */
    public void afterCommit(SqlConnection tx, Runnable action) {
        List<Runnable> actions = afterCommit.get(tx);
        if (actions == null) {
            throw new IllegalStateException("afterCommit is only available inside a consumer's transaction");
        }
        actions.add(action);
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "An after-commit action failed");
        }
    }

    private void count(String consumer, String outcome) {
        counters.computeIfAbsent(consumer + '|' + outcome, key -> {
            // every outcome of a consumer appears (at 0) from its first event on, so rates and alerts see it
            for (String other : OUTCOMES) {
                Counter.builder("fetchsms.consumer.events").tag("consumer", consumer).tag("outcome", other)
                        .description("Kafka events handled by an idempotent consumer, by outcome")
                        .register(registry);
            }
            return Counter.builder("fetchsms.consumer.events").tag("consumer", consumer).tag("outcome", outcome)
                    .register(registry);
        }).increment();
    }

    /** Failures that say nothing about the event: the database or the network is unavailable for now. */
    static boolean isTransient(Throwable failure) {
        return TransientFailures.isTransient(failure);
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
