package com.fetchsms.common.security;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The per-credential request limit, one bucket per credential shared by every replica of the service: the bucket is a
 * row of {@code rate_limit_bucket} in the service's own database, taken from with one statement (decision 0030). A
 * bucket holds one second of requests ({@code requests-per-second}) and refills continuously; the arithmetic is the
 * generic cell rate algorithm (GCRA): a request at time {@code now} is allowed when the bucket's theoretical arrival
 * time {@code tat} is at most {@code burst − 1} intervals ahead of {@code now}, and then moves it one interval on. The
 * clock is the database's, so replicas' clocks never matter, and the row lock serialises one credential's requests
 * across replicas without a retry.
 *
 * <p>
 * When the database cannot answer, the request is allowed (and logged): the limit is abuse control, and the request
 * then meets the same database for its own work.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);

    /** The outcome of one request: allowed or not, what is left, and when a token comes back. */
    public record Decision(boolean allowed, int limit, int remaining, long retryAfterMillis) {
    }

    /**
     * One statement: a credential's first request inserts its bucket (allowed, one interval used); later ones update
     * it under the row lock. {@code $2}: the interval between two requests (µs); {@code $3}: how far ahead of now the
     * bucket may run, {@code (burst − 1) × interval}; {@code $4}: null, or a clock (µs) for tests of the arithmetic.
     */
    static final String TAKE = """
            INSERT INTO rate_limit_bucket AS b (credential, tat, seen, allowed)
            SELECT $1, c.now + $2, c.now, true
            FROM (SELECT coalesce($4::bigint, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint) AS now) c
            ON CONFLICT (credential) DO UPDATE SET
                tat = CASE WHEN greatest(b.tat, EXCLUDED.seen) - EXCLUDED.seen <= $3
                           THEN greatest(b.tat, EXCLUDED.seen) + $2 ELSE b.tat END,
                seen = EXCLUDED.seen,
                allowed = greatest(b.tat, EXCLUDED.seen) - EXCLUDED.seen <= $3
            RETURNING allowed, tat - seen AS ahead""";

    /** Full buckets are the same as no bucket: deleting them loses nothing. */
    static final String EVICT_FULL = """
            DELETE FROM rate_limit_bucket
            WHERE tat < (extract(epoch FROM clock_timestamp()) * 1000000)::bigint""";

    private final Pool pool;
    private final int limit;
    private final long intervalMicros;
    private final long toleranceMicros;

    public RateLimiter(Pool pool, RateLimitConfig config) {
        this.pool = pool;
        this.limit = Math.max(1, config.requestsPerSecond());
        this.intervalMicros = Math.max(1, 1_000_000L / limit);
        this.toleranceMicros = (limit - 1) * intervalMicros;
    }

    /** Takes one request from {@code credential}'s bucket, shared by every replica. */
    public Uni<Decision> acquire(String credential) {
        return acquire(credential, null);
    }

    /** {@link #acquire(String)} at {@code nowMicros} on a clock of the caller's (null: the database's clock). */
    Uni<Decision> acquire(String credential, Long nowMicros) {
        return pool.preparedQuery(TAKE).execute(Tuple.of(credential, intervalMicros, toleranceMicros, nowMicros))
                .map(rows -> decide(rows.iterator().next()))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Rate limit not checked (request allowed): the bucket store did not answer: %s",
                            failure.toString());
                    return new Decision(true, limit, limit - 1, 0);
                });
    }

    private Decision decide(Row row) {
        return decide(row.getBoolean("allowed"), row.getLong("ahead"));
    }

    /** The decision from the statement's answer: allowed or not, and how far (µs) the bucket now runs ahead of now. */
    Decision decide(boolean allowed, long aheadMicros) {
        if (allowed) {
            long remaining = (limit * intervalMicros - aheadMicros) / intervalMicros;
            return new Decision(true, limit, (int) Math.max(0, Math.min(limit - 1, remaining)), 0);
        }
        long waitMicros = aheadMicros - toleranceMicros;
        return new Decision(false, limit, 0, Math.max(1, (waitMicros + 999) / 1000));
    }

    /** Deletes the buckets that are full again (any replica may; what one deletes, another finds as a full bucket). */
    @Scheduled(every = "60s", identity = "fetchsms-rate-limit-eviction", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> evictFull() {
        return pool.query(EVICT_FULL).execute().replaceWithVoid()
                .onFailure().invoke(failure -> LOG.debugf("Rate limit eviction skipped: %s", failure.toString()))
                .onFailure().recoverWithNull();
    }
}
