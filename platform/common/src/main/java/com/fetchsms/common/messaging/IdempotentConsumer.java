package com.fetchsms.common.messaging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.events.EventPayload;
import com.fetchsms.common.error.TransientFailures;
import com.fetchsms.common.events.EventType;
import com.fetchsms.common.events.SmsArrivalWatermark;
import com.fetchsms.common.outbox.Outbox;
import com.fetchsms.common.tracing.TraceContext;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
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
 * {@code duplicate}, {@code skipped}, {@code dead_lettered}), and every event's hop from its writing to its
 * consumer's commit in {@code fetchsms_consumer_event_delay_seconds{consumer}} ({@link EventHops}). The events a handler writes to the
 * outbox continue the trace of the record that caused them (its {@code traceparent} header, bound to the transaction
 * with {@link Outbox#bindTrace} while that record's handler runs).
 */
@ApplicationScoped
public class IdempotentConsumer {

    private static final Logger LOG = Logger.getLogger(IdempotentConsumer.class);

    /** Applies an event inside the consumer's transaction. */
    @FunctionalInterface
    public interface Handler {
        Uni<Void> apply(SqlConnection tx, EventEnvelope event);
    }

    /**
     * A handler that looks at a batch's new events together first: {@link #prepare} runs once per transaction with
     * every event about to be applied in it (in order), e.g. one set-based statement for all of them instead of one per
     * event; then {@link #apply} runs for each event with what {@code prepare} answered.
     */
    public interface BatchHandler<C> {
        Uni<C> prepare(SqlConnection tx, List<EventEnvelope> events);

        Uni<Void> apply(SqlConnection tx, EventEnvelope event, C prepared);

        /**
         * Which of a batch's events may change anything here, read before any transaction opens (default: all of
         * them). The others are acknowledged as skipped with no transaction and no {@code processed_event} row, so a
         * batch in which none matters costs one read instead of a transaction and its commit. The read must make the
         * same test {@link #apply} makes (e.g. rental-service: is the SMS's number held by a running rental now?), so
         * that leaving an event out changes nothing that applying it would have done at that moment: an event left out
         * is acknowledged and not applied later.
         */
        default Uni<List<EventEnvelope>> relevant(SqlClient db, List<EventEnvelope> events) {
            return Uni.createFrom().item(events);
        }
    }

    private static BatchHandler<Void> perEvent(Handler handler) {
        return new BatchHandler<>() {
            @Override
            public Uni<Void> prepare(SqlConnection tx, List<EventEnvelope> events) {
                return Uni.createFrom().voidItem();
            }

            @Override
            public Uni<Void> apply(SqlConnection tx, EventEnvelope event, Void prepared) {
                return handler.apply(tx, event);
            }
        };
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
    private final Outbox outbox;
    private final EventHops hops;
    private final ArrivalWatermarks watermarks;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** Actions to run once the transaction of a handler committed, by that transaction's connection. */
    private final Map<SqlConnection, List<Runnable>> afterCommit = new ConcurrentHashMap<>();

    public IdempotentConsumer(Pool pool, ObjectMapper mapper, ConsumerConfig config, MeterRegistry registry,
            Outbox outbox, EventHops hops, ArrivalWatermarks watermarks) {
        this.pool = pool;
        this.watermarks = watermarks;
        this.outbox = outbox;
        this.hops = hops;
        this.mapper = mapper;
        this.config = config;
        this.registry = registry;
    }

    /**
     * Handles one polled batch of Kafka records for {@code consumer}: every record of an event type in {@code types}
     * that this consumer has not applied yet is applied by {@code handler}, in the batch's order, all in one
     * transaction together with their {@code processed_event} rows (written by one statement); then the batch is
     * acknowledged. Records of one key are in one partition and so in order within the batch.
     *
     * <p>
     * A batch failing because the database or the network is away is retried whole, with backoff, for as long as it
     * takes. A batch failing for any other reason is applied again one record at a time ({@link #consume}), each in its
     * own transaction, so one poisoned event is retried and dead-lettered alone and the others are applied.
     */
    public Uni<Void> consumeBatch(String consumer, Set<EventType> types, KafkaRecordBatch<String, String> batch,
            Handler handler) {
        return consumeBatch(consumer, types, batch, handler, null);
    }

    /**
     * {@link #consumeBatch(String, Set, KafkaRecordBatch, Handler)} for a consumer whose events of different keys lock
     * shared rows (e.g. refunds of different purchases lock one account's balance): the batch's new events are applied
     * in {@code lockOrder} (stable, so the events of one key keep their order), so that concurrent batches from other
     * partitions take those locks in the same order and cannot deadlock. Use it only where the order of events of
     * different keys does not matter.
     */
    public Uni<Void> consumeBatch(String consumer, Set<EventType> types, KafkaRecordBatch<String, String> batch,
            Handler handler, Comparator<EventEnvelope> lockOrder) {
        return consumeBatch(consumer, types, batch, perEvent(handler), lockOrder);
    }

    /**
     * {@link #consumeBatch(String, Set, KafkaRecordBatch, Handler)} with a {@link BatchHandler}: its
     * {@code prepare} sees the batch's new events together, in one call per transaction (the whole batch, or one event
     * when a failed batch is applied one event at a time).
     */
    public <C> Uni<Void> consumeBatch(String consumer, Set<EventType> types, KafkaRecordBatch<String, String> batch,
            BatchHandler<C> handler) {
        return consumeBatch(consumer, types, batch, handler, null);
    }

    private <C> Uni<Void> consumeBatch(String consumer, Set<EventType> types, KafkaRecordBatch<String, String> batch,
            BatchHandler<C> handler, Comparator<EventEnvelope> lockOrder) {
        List<Pending> pending = new ArrayList<>();
        List<Uni<Void>> rejected = new ArrayList<>();
        Map<Integer, SmsArrivalWatermark> marks = new HashMap<>();
        for (KafkaRecord<String, String> record : batch.getRecords()) {
            EventEnvelope event;
            try {
                event = decode(record);
            } catch (InvalidEventException e) {
                LOG.errorf("Rejecting an event for %s: %s", consumer, e.getMessage());
                count(consumer, DEAD_LETTERED);
                rejected.add(Uni.createFrom().completionStage(record.nack(e)));
                continue;
            }
            if (event.type() == EventType.SMS_ARRIVAL_WATERMARK && types.contains(EventType.SMS_INBOUND)) {
                // not an event to apply: how far its partition is complete, recorded once the batch is applied
                SmsArrivalWatermark mark = (SmsArrivalWatermark) event.payload();
                marks.merge(mark.partition(), mark,
                        (a, b) -> a.acceptedBeforeMs() >= b.acceptedBeforeMs() ? a : b);
                continue;
            }
            if (event.type() == null || !types.contains(event.type())) {
                count(consumer, SKIPPED);
                continue;
            }
            pending.add(new Pending(record, event, traceOf(record)));
        }
        Uni<Void> nacked = rejected.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(rejected).andCollectFailures()
                        .replaceWithVoid();
        if (pending.isEmpty()) {
            return nacked.chain(() -> advance(consumer, marks.values()))
                    .chain(() -> Uni.createFrom().completionStage(batch.ack()));
        }
        return nacked.chain(() -> relevant(consumer, pending, handler))
                .chain(relevant -> relevant.isEmpty()
                        ? advance(consumer, marks.values())
                        : applyAll(consumer, relevant, handler, lockOrder, marks.values()))
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    /**
     * The pending events the handler says may change anything ({@link BatchHandler#relevant}); the others are counted
     * as skipped and their hop recorded. Waits out the database like a batch does.
     */
    private <C> Uni<List<Pending>> relevant(String consumer, List<Pending> pending, BatchHandler<C> handler) {
        List<EventEnvelope> events = pending.stream().map(Pending::event).toList();
        return Uni.createFrom().deferred(() -> handler.relevant(pool, events))
                .onFailure(IdempotentConsumer::isTransient).invoke(failure -> retried(consumer))
                .onFailure(IdempotentConsumer::isTransient).retry()
                .withBackOff(config.initialBackoff(), config.maxBackoff()).indefinitely()
                .onFailure().recoverWithItem(failure -> {
                    // not knowing which events matter, apply them all: the handler decides inside the transaction
                    LOG.warnf("%s could not tell which events of a batch matter (%s); applying all", consumer,
                            failure.getMessage());
                    return events;
                })
                .map(kept -> {
                    if (kept.size() == events.size()) {
                        return pending;
                    }
                    Set<String> ids = new HashSet<>();
                    kept.forEach(event -> ids.add(event.id()));
                    List<Pending> relevant = new ArrayList<>(kept.size());
                    Instant now = Instant.now();
                    for (Pending one : pending) {
                        if (ids.contains(one.event().id())) {
                            relevant.add(one);
                        } else {
                            count(consumer, SKIPPED);
                            hop(consumer, one.event(), now);
                        }
                    }
                    return relevant;
                });
    }

    private <C> Uni<Void> applyAll(String consumer, List<Pending> pending, BatchHandler<C> handler,
            Comparator<EventEnvelope> lockOrder, Collection<SmsArrivalWatermark> marks) {
        if (lockOrder != null) {
            pending.sort(Comparator.comparing(Pending::event, lockOrder));
        }
        return applyBatch(consumer, pending, handler)
                .onFailure(IdempotentConsumer::isTransient).invoke(failure -> {
                    retried(consumer);
                    LOG.warnf("%s waits to apply a batch of %d events: %s", consumer, pending.size(),
                            failure.getMessage());
                })
                .onFailure(IdempotentConsumer::isTransient).retry()
                .withBackOff(config.initialBackoff(), config.maxBackoff()).indefinitely()
                .onItem().invoke(applied -> {
                    count(consumer, PROCESSED, applied);
                    count(consumer, DUPLICATE, pending.size() - applied);
                    Instant now = Instant.now();
                    pending.forEach(one -> hop(consumer, one.event(), now));
                })
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("%s could not apply a batch of %d events (%s); applying them one at a time", consumer,
                            pending.size(), failure.getMessage());
                    Uni<Void> oneByOne = Uni.createFrom().voidItem();
                    for (Pending one : pending) {
                        oneByOne = oneByOne.chain(() -> consumeDecoded(consumer, one, handler));
                    }
                    return oneByOne;
                })
                // after every SMS before them on their partitions was applied (or dead-lettered)
                .chain(() -> advance(consumer, marks));
    }

    /**
     * Records a batch's arrival watermarks: waits out the database like a batch does; any other failure is logged and
     * left to the next watermark (each one supersedes the last).
     */
    private Uni<Void> advance(String consumer, Collection<SmsArrivalWatermark> marks) {
        if (marks.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return watermarks.advance(consumer, marks)
                .onFailure(IdempotentConsumer::isTransient).retry()
                .withBackOff(config.initialBackoff(), config.maxBackoff()).indefinitely()
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("%s could not record arrival watermarks: %s", consumer, failure.getMessage());
                    return null;
                });
    }

    /** A record of a batch to apply: its message, its decoded event and the trace context its producer sent. */
    private record Pending(Message<String> message, EventEnvelope event, TraceContext trace) {
    }

    /**
     * One transaction for the events of a batch; answers how many were applied (the rest were duplicates). The events
     * the handlers publish are written to the outbox with one statement at the end.
     */
    private <C> Uni<Integer> applyBatch(String consumer, List<Pending> pending, BatchHandler<C> handler) {
        return Uni.createFrom().deferred(() -> {
            List<Runnable> actions = new ArrayList<>();
            AtomicReference<SqlConnection> connection = new AtomicReference<>();
            String[] ids = new String[pending.size()];
            String[] eventTypes = new String[pending.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = pending.get(i).event().id();
                eventTypes[i] = pending.get(i).event().type().type();
            }
            return pool.withTransaction(tx -> {
                connection.set(tx);
                afterCommit.put(tx, actions);
                outbox.defer(tx);
                return tx.preparedQuery("""
                        INSERT INTO processed_event (consumer, event_id, event_type)
                        SELECT $1, e.id, e.type FROM unnest($2::text[], $3::text[]) AS e(id, type)
                        ON CONFLICT DO NOTHING RETURNING event_id""")
                        .execute(Tuple.of(consumer, ids, eventTypes))
                        .chain(inserted -> {
                            Set<String> fresh = new HashSet<>();
                            inserted.forEach(row -> fresh.add(row.getString(0)));
                            int applied = fresh.size();
                            // a record sent twice within one batch is applied once
                            List<Pending> toApply = new ArrayList<>();
                            for (Pending one : pending) {
                                if (fresh.remove(one.event().id())) {
                                    toApply.add(one);
                                }
                            }
                            if (toApply.isEmpty()) {
                                return Uni.createFrom().item(applied);
                            }
                            return handler.prepare(tx, toApply.stream().map(Pending::event).toList())
                                    .chain(prepared -> {
                                        Uni<Void> chain = Uni.createFrom().voidItem();
                                        for (Pending one : toApply) {
                                            chain = chain.chain(() -> applyTraced(tx, one,
                                                    (t, e) -> handler.apply(t, e, prepared)));
                                        }
                                        return chain;
                                    })
                                    .chain(() -> outbox.flush(tx))
                                    .replaceWith(applied);
                        });
            }).eventually(() -> {
                SqlConnection tx = connection.get();
                if (tx != null) {
                    afterCommit.remove(tx);
                    outbox.discard(tx);
                }
            }).invoke(applied -> actions.forEach(IdempotentConsumer::runQuietly));
        });
    }

    /** Runs the handler for one event with that event's trace bound to the events it writes to the outbox. */
    private Uni<Void> applyTraced(SqlConnection tx, Pending one, Handler handler) {
        return Uni.createFrom().deferred(() -> {
            outbox.bindTrace(tx, one.trace());
            return handler.apply(tx, one.event());
        }).eventually(() -> outbox.unbindTrace(tx));
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
        return consumeDecoded(consumer, new Pending(message, event, TraceContext.current()), perEvent(handler));
    }

    private <C> Uni<Void> consumeDecoded(String consumer, Pending one, BatchHandler<C> handler) {
        EventEnvelope event = one.event();
        Message<String> message = one.message();
        return applyOnce(consumer, event, (tx, e) -> handler.prepare(tx, List.of(e))
                .chain(prepared -> applyTraced(tx, one, (t, same) -> handler.apply(t, same, prepared))))
                // the database or the network is away: wait for it as long as it takes (never dead-letter a refund
                // or a code because PostgreSQL failed over)
                .onFailure(IdempotentConsumer::isTransient).invoke(failure -> {
                    retried(consumer);
                    LOG.warnf("%s waits to apply %s %s: %s", consumer, event.type().type(), event.id(),
                            failure.getMessage());
                })
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
                    hop(consumer, event, Instant.now());
                    return Uni.createFrom().completionStage(message.ack());
                });
    }

    /** The W3C trace context the producer of {@code record} sent in its headers (empty when none). */
    static TraceContext traceOf(Message<String> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(metadata -> new TraceContext(
                header(metadata.getHeaders(), TraceContext.TRACEPARENT),
                header(metadata.getHeaders(), TraceContext.TRACESTATE))).orElse(new TraceContext(null, null));
    }

    private static String header(Headers headers, String name) {
        Header header = headers == null ? null : headers.lastHeader(name);
        return header == null || header.value() == null
                ? null
                : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
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
        count(consumer, outcome, 1);
    }

    /** A transaction of {@code consumer} failed transiently (database away, deadlock, serialisation) and is retried. */
    private void retried(String consumer) {
        Counter.builder("fetchsms.consumer.retries").tag("consumer", consumer)
                .description("Transactions of an idempotent consumer that failed transiently and were retried")
                .register(registry).increment();
    }

    private void hop(String consumer, EventEnvelope event, Instant now) {
        hops.applied(consumer, event.time(), now);
    }

    private void count(String consumer, String outcome, int amount) {
        if (amount <= 0) {
            return;
        }
        counters.computeIfAbsent(consumer + '|' + outcome, key -> {
            // every outcome of a consumer appears (at 0) from its first event on, so rates and alerts see it
            for (String other : OUTCOMES) {
                Counter.builder("fetchsms.consumer.events").tag("consumer", consumer).tag("outcome", other)
                        .description("Kafka events handled by an idempotent consumer, by outcome")
                        .register(registry);
            }
            return Counter.builder("fetchsms.consumer.events").tag("consumer", consumer).tag("outcome", outcome)
                    .register(registry);
        }).increment(amount);
    }

    /** Failures that say nothing about the event: the database or the network is unavailable for now. */
    static boolean isTransient(Throwable failure) {
        return TransientFailures.isTransient(failure);
    }

    /** Reads a record as an event: its CloudEvents attributes and its payload (null for a type this build does not know). */
    public EventEnvelope decode(Message<String> message) {
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
