package com.fetchsms.common.security;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

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
 * <b>Leases</b> (decision 0034). A credential that this replica saw at least twice in the last lease time
 * ({@code fetchsms.rate-limit.lease}, L) while its bucket was at least half full takes, with the same one statement,
 * up to as many requests as it made in that time (at most L's worth of the rate; fewer by the share of L the statement's
 * recent round trip takes), spends them here within L of sending the statement, and drops what is left. The statement charges a lease as if the bucket ran at least L ahead
 * of now ({@code tat = max(tat, now + L) + k × interval}): so at any moment the bucket's level plus every replica's
 * unspent leases is at most the burst, and no window of any length sees more requests allowed than the bucket alone
 * would allow. The price is under-allowing: up to L's worth of the rate when a credential turns busy, and tokens of a
 * lease that expire unused, only while its bucket is at least half full (below half every request takes exactly its
 * own token). One lease per credential is in flight at a time; meanwhile the replica's other requests take one token
 * each.
 *
 * <p>
 * When the database cannot answer, the request is allowed (and logged): the limit is abuse control, and the request
 * then meets the same database for its own work.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);

    /** Credentials whose leases one replica tracks at most; beyond it, a new credential takes one token a request. */
    static final int MAX_HOLDERS = 10_000;

    /** The outcome of one request: allowed or not, what is left, and when a token comes back. */
    public record Decision(boolean allowed, int limit, int remaining, long retryAfterMillis) {
    }

    /** What one statement answered: requests granted (0: refused) and how far (µs) the bucket now runs ahead of now. */
    record Taken(int granted, long aheadMicros) {
    }

    /**
     * The decision of one statement from the bucket's {@code tat} (SQL expression; for a new bucket, {@code now}: a
     * full bucket) at {@code now}: a lease of {@code k ≥ 2} requests when {@code $5 ≥ 2} of them were asked for and
     * at least two fit after the lease's charge ({@code $6}, L in µs: the lease is taken as if the bucket ran at least
     * L ahead), else one request the usual way, else none. Columns {@code tat} (new) and {@code granted}.
     */
    private static String decide(String tat, String now) {
        String single = "greatest(" + tat + ", " + now + ")";
        return """
                SELECT CASE WHEN l.k >= 2 THEN l.base + l.k * $2::bigint
                            WHEN %2$s - %3$s <= $3::bigint THEN %2$s + $2::bigint ELSE %1$s END AS tat,
                       (CASE WHEN l.k >= 2 THEN l.k WHEN %2$s - %3$s <= $3::bigint THEN 1 ELSE 0 END)::int AS granted
                FROM (SELECT greatest(%1$s, %3$s + $6::bigint) AS base) lb,
                     LATERAL (SELECT lb.base, CASE WHEN $5::int >= 2
                                  THEN least($5::int, ($3::bigint + $2::bigint - (lb.base - %3$s)) / $2::bigint)
                                  ELSE 0 END AS k) l""".formatted(tat, single, now);
    }

    /**
     * One statement: a credential's first request inserts its bucket; later ones update it under the row lock.
     * {@code $2}: the interval between two requests (µs); {@code $3}: how far ahead of now the bucket may run,
     * {@code (burst − 1) × interval}; {@code $4}: null, or a clock (µs) for tests of the arithmetic; {@code $5}: the
     * requests wanted (1, or a lease); {@code $6}: the lease time (µs).
     */
    static final String TAKE = """
            INSERT INTO rate_limit_bucket AS b (credential, tat, seen, allowed, granted)
            SELECT $1, d.tat, c.now, d.granted > 0, d.granted
            FROM (SELECT coalesce($4::bigint, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint) AS now) c,
                 LATERAL (%s) d
            ON CONFLICT (credential) DO UPDATE SET (tat, seen, allowed, granted) =
                (SELECT d.tat, EXCLUDED.seen, d.granted > 0, d.granted FROM (%s) d)
            RETURNING granted, tat - seen AS ahead""".formatted(decide("c.now", "c.now"),
            decide("b.tat", "EXCLUDED.seen"));

    /** Full buckets are the same as no bucket: deleting them loses nothing. */
    static final String EVICT_FULL = """
            DELETE FROM rate_limit_bucket
            WHERE tat < (extract(epoch FROM clock_timestamp()) * 1000000)::bigint""";

    /** One credential's lease in this replica, and how often the replica saw it lately. Guarded by itself. */
    private static final class Holder {
        /** Requests leased and not yet spent, usable until {@link #expires} (System.nanoTime). */
        int tokens;
        long expires;
        /** A lease statement is in flight. */
        boolean leasing;
        /** What the bucket had left at the last answer (excluding leases), as far as this replica knows. */
        int shared;
        /** Requests seen in the window that started at {@link #windowStart}, and in the window before it. */
        long windowStart;
        int count;
        int previous;
    }

    private final Pool pool;
    private final int limit;
    private final long intervalMicros;
    private final long toleranceMicros;
    private final long leaseMicros;
    private final long leaseNanos;
    /** The largest lease: the lease time's worth of the rate (below two, no leases). */
    private final int maxLease;
    private final ConcurrentHashMap<String, Holder> holders = new ConcurrentHashMap<>();
    /**
     * The statement's recent round trip (ns, a moving average): a lease's life starts when its statement is sent, so
     * what it asks for is what the credential will use in the rest of that life once the answer is back.
     */
    private volatile long roundTripNanos;

    @Inject
    public RateLimiter(Pool pool, RateLimitConfig config) {
        this(pool, config.requestsPerSecond(), config.lease());
    }

    /** A limiter of {@code requestsPerSecond} per credential, with leases of at most {@code lease} (zero: none). */
    public RateLimiter(Pool pool, int requestsPerSecond, Duration lease) {
        this.pool = pool;
        this.limit = Math.max(1, requestsPerSecond);
        this.intervalMicros = Math.max(1, 1_000_000L / limit);
        this.toleranceMicros = (limit - 1) * intervalMicros;
        long micros = Math.max(0, lease.toNanos() / 1000);
        this.maxLease = (int) Math.min(limit - 1, micros / intervalMicros);
        this.leaseMicros = maxLease >= 2 ? micros : 0;
        this.leaseNanos = leaseMicros * 1000;
    }

    /** Takes one request from {@code credential}'s bucket, shared by every replica. */
    public Uni<Decision> acquire(String credential) {
        return acquire(credential, null);
    }

    /** {@link #acquire(String)} at {@code nowMicros} on a clock of the caller's (null: the database's clock). */
    Uni<Decision> acquire(String credential, Long nowMicros) {
        Holder holder = maxLease >= 2 ? holder(credential) : null;
        if (holder == null) {
            return take(credential, 1, nowMicros).map(taken -> decide(taken.granted() > 0, taken.aheadMicros()));
        }
        long now = System.nanoTime();
        int wanted;
        synchronized (holder) {
            if (now - holder.windowStart >= leaseNanos) {
                holder.previous = now - holder.windowStart < 2 * leaseNanos ? holder.count : 0;
                holder.windowStart = now;
                holder.count = 0;
            }
            holder.count++;
            if (holder.tokens > 0 && now - holder.expires < 0) {
                holder.tokens--;
                return Uni.createFrom().item(new Decision(true, limit, remaining(holder.shared + holder.tokens), 0));
            }
            holder.tokens = 0;
            long usable = leaseNanos - roundTripNanos;
            int expected = usable <= 0 ? 0 : (int) (holder.previous * usable / leaseNanos);
            wanted = !holder.leasing && expected >= 2 && 2 * holder.shared >= limit
                    ? Math.min(maxLease, expected)
                    : 1;
            holder.leasing |= wanted > 1;
        }
        long expires = now + leaseNanos;
        return take(credential, wanted, nowMicros).map(taken -> {
            long roundTrip = System.nanoTime() - now;
            roundTripNanos += (roundTrip - roundTripNanos) / 8;
            int shared = sharedRemaining(taken.aheadMicros());
            synchronized (holder) {
                if (wanted > 1) {
                    holder.leasing = false;
                }
                holder.shared = shared;
                if (taken.granted() > 1) {
                    holder.expires = holder.tokens > 0 && holder.expires - expires < 0 ? holder.expires : expires;
                    holder.tokens += taken.granted() - 1;
                }
                return taken.granted() > 0
                        ? new Decision(true, limit, remaining(shared + holder.tokens), 0)
                        : decide(false, taken.aheadMicros());
            }
        }).onFailure().invoke(failure -> {
            if (wanted > 1) {
                synchronized (holder) {
                    holder.leasing = false;
                }
            }
        });
    }

    /** This replica's record of {@code credential}, or null when it tracks {@link #MAX_HOLDERS} already. */
    private Holder holder(String credential) {
        Holder holder = holders.get(credential);
        if (holder == null && holders.size() < MAX_HOLDERS) {
            holder = holders.computeIfAbsent(credential, c -> {
                Holder fresh = new Holder();
                fresh.shared = limit;
                fresh.windowStart = System.nanoTime() - 2 * leaseNanos;
                return fresh;
            });
        }
        return holder;
    }

    /**
     * One statement on {@code credential}'s bucket, asking for {@code wanted} requests (more than one: a lease). When
     * the database does not answer, one request is granted.
     */
    Uni<Taken> take(String credential, int wanted, Long nowMicros) {
        return pool.preparedQuery(TAKE)
                .execute(Tuple.from(new Object[]{credential, intervalMicros, toleranceMicros, nowMicros, wanted,
                        wanted > 1 ? leaseMicros : 0L}))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Taken(row.getInteger("granted"), row.getLong("ahead"));
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Rate limit not checked (request allowed): the bucket store did not answer: %s",
                            failure.toString());
                    return new Taken(1, intervalMicros);
                });
    }

    /** Requests the bucket still holds when it runs {@code aheadMicros} ahead of now. */
    private int sharedRemaining(long aheadMicros) {
        return (int) Math.max(0, Math.min(limit, (limit * intervalMicros - aheadMicros) / intervalMicros));
    }

    private int remaining(int left) {
        return Math.max(0, Math.min(limit - 1, left));
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

    /**
     * Deletes the buckets that are full again (any replica may; what one deletes, another finds as a full bucket), and
     * forgets this replica's records of credentials it has not seen for a while. A bucket with a lease unspent runs
     * ahead of now until the lease has expired, so it is never deleted under a lease.
     */
    @Scheduled(every = "60s", identity = "fetchsms-rate-limit-eviction", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> evictFull() {
        long now = System.nanoTime();
        holders.values().removeIf(holder -> {
            synchronized (holder) {
                return !holder.leasing && now - holder.windowStart > Math.max(2 * leaseNanos, 1_000_000_000L)
                        && now - holder.expires >= 0;
            }
        });
        return pool.query(EVICT_FULL).execute().replaceWithVoid()
                .onFailure().invoke(failure -> LOG.debugf("Rate limit eviction skipped: %s", failure.toString()))
                .onFailure().recoverWithNull();
    }
}
