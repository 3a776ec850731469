package com.fetchsms.common.messaging;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.common.events.SmsArrivalWatermark;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * How far a consumer of {@code sms.inbound} has applied the SMS the platform accepted (decision 0016): per partition, the
 * latest {@link SmsArrivalWatermark} that reached it, in {@code arrival_watermark}. {@link IdempotentConsumer} records
 * the watermarks of a batch once the batch's events are applied; a purchase service's expiry asks
 * {@link #complete(SqlClient, String)} before it makes a window or a term final.
 *
 * <p>
 * {@code fetchsms_arrival_watermark_age_seconds{consumer}}: how far behind now the complete watermark was when the expiry
 * last asked (about the relay's watermark interval when all is well; it grows while sms-ingest, its relay, Kafka or the
 * consumer is away, and expiries wait that long).
 */
@ApplicationScoped
public class ArrivalWatermarks {

    private final Pool pool;
    private final MeterRegistry registry;
    /** Epoch milliseconds of the complete watermark each consumer's expiry last saw. */
    private final Map<String, AtomicLong> lastSeen = new ConcurrentHashMap<>();

    public ArrivalWatermarks(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        this.registry = registry;
    }

    /** Keeps the latest watermark per partition for {@code consumer} (one statement; never moves one back). */
    public Uni<Void> advance(String consumer, Collection<SmsArrivalWatermark> marks) {
        if (marks.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Integer[] partitions = marks.stream().map(SmsArrivalWatermark::partition).toArray(Integer[]::new);
        Integer[] counts = marks.stream().map(SmsArrivalWatermark::partitions).toArray(Integer[]::new);
        java.time.OffsetDateTime[] before = marks.stream()
                .map(m -> m.acceptedBeforeInstant().atOffset(ZoneOffset.UTC)).toArray(java.time.OffsetDateTime[]::new);
        return pool.preparedQuery("""
                INSERT INTO arrival_watermark (consumer, partition_no, partitions, accepted_before)
                SELECT $1, m.partition_no, m.partitions, m.accepted_before
                FROM unnest($2::int[], $3::int[], $4::timestamptz[]) AS m (partition_no, partitions, accepted_before)
                ON CONFLICT (consumer, partition_no) DO UPDATE
                SET accepted_before = GREATEST(arrival_watermark.accepted_before, EXCLUDED.accepted_before),
                    partitions = GREATEST(arrival_watermark.partitions, EXCLUDED.partitions), updated_at = now()""")
                .execute(Tuple.of(consumer, partitions, counts).addArrayOfOffsetDateTime(before)).replaceWithVoid();
    }

    /**
     * The time before which every SMS the platform accepted has been applied by {@code consumer}, on every partition of
     * {@code sms.inbound}; null while some partition has not reported yet (nothing may be made final then).
     */
    public Uni<Instant> complete(SqlClient db, String consumer) {
        return db.preparedQuery("""
                SELECT CASE WHEN count(*) >= max(partitions) THEN min(accepted_before) END AS complete
                FROM arrival_watermark WHERE consumer = $1""")
                .execute(Tuple.of(consumer))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    java.time.OffsetDateTime complete = row.getOffsetDateTime("complete");
                    Instant until = complete == null ? null : complete.toInstant();
                    if (until != null) {
                        seen(consumer).set(until.toEpochMilli());
                    }
                    return until;
                });
    }

    private AtomicLong seen(String consumer) {
        return lastSeen.computeIfAbsent(consumer, name -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("fetchsms.arrival.watermark.age", value,
                    v -> v.get() == 0 ? Double.NaN : (System.currentTimeMillis() - v.get()) / 1000.0)
                    .tag("consumer", name).baseUnit("seconds")
                    .description("How far behind now the complete arrival watermark of sms.inbound was at the last"
                            + " expiry pass: expiries wait at least this long")
                    .register(registry);
            return value;
        });
    }
}
