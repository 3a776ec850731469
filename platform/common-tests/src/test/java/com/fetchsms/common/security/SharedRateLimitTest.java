package com.fetchsms.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PostgresDatabase;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * The shared buckets of {@link RateLimiter} on the real database: the arithmetic on a clock the test sets (one second
 * of burst, the refill, the cap), and three replicas — three limiters, each with its own connection pool as separate
 * processes would have — taking from one credential's bucket concurrently: together they allow the limit, not three
 * times it. With leases (decision 0034): a lease's charge keeps the bucket plus every unspent lease within the burst at
 * every moment, three replicas leasing still allow no more than the bucket, and a credential below the limit is never
 * refused while most of its requests take no statement.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class SharedRateLimitTest {

    private static final Duration AWAIT = Duration.ofSeconds(10);

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Test
    void aCredentialGetsOneSecondOfBurstThenWaitsForTheRefill() {
        RateLimiter limiter = new RateLimiter(pool, 100, Duration.ZERO);
        String key = credential();
        long now = clock();
        for (int i = 0; i < 100; i++) {
            RateLimiter.Decision allowed = take(limiter, key, now);
            assertTrue(allowed.allowed(), "request " + i);
            assertEquals(100, allowed.limit());
            assertEquals(99 - i, allowed.remaining(), "remaining after request " + i);
        }
        RateLimiter.Decision refused = take(limiter, key, now);
        assertFalse(refused.allowed());
        assertEquals(0, refused.remaining());
        assertEquals(10, refused.retryAfterMillis(), "one token comes back in 10 ms");
        assertTrue(take(limiter, credential(), now).allowed(), "another credential has its own bucket");
        assertFalse(take(limiter, key, now + 9_999).allowed(), "refused requests take nothing, and 9.999 ms is short");
        assertTrue(take(limiter, key, now + 10_000).allowed(), "10 ms later one token is back");
        assertFalse(take(limiter, key, now + 10_000).allowed());
    }

    @Test
    void anIdleBucketRefillsUpToItsLimitAndNoFurther() {
        RateLimiter limiter = new RateLimiter(pool, 10, Duration.ZERO);
        String key = credential();
        long now = clock();
        assertEquals(10, allowedOf(limiter, key, now, 50));
        // idle for a minute: six hundred tokens' worth of time, but the bucket holds one second of requests
        long later = now + 60_000_000L;
        assertEquals(10, allowedOf(limiter, key, later, 50));
        // half a second refills half the bucket
        assertEquals(5, allowedOf(limiter, key, later + 500_000L, 50));
    }

    @Test
    void aBucketUsedAWhileAgoShowsWhatHasRefilled() {
        RateLimiter limiter = new RateLimiter(pool, 10, Duration.ZERO);
        String key = credential();
        long now = clock();
        assertEquals(10, allowedOf(limiter, key, now, 10));
        // 300 ms later three tokens are back: this request takes one of them
        assertEquals(2, take(limiter, key, now + 300_000L).remaining());
    }

    @Test
    void threeReplicasSharingTheDatabaseAllowTheLimitNotThreeTimesIt() throws Exception {
        int limit = 10;
        List<Pool> pools = new ArrayList<>();
        List<RateLimiter> replicas = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Pool own = ownPool();
            pools.add(own);
            replicas.add(new RateLimiter(own, limit, Duration.ZERO));
        }
        try {
            String key = credential();
            AtomicInteger allowed = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            long dbStart = databaseClock();
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            // every replica keeps four requests of the one credential in flight until the deadline
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (RateLimiter replica : replicas) {
                for (int c = 0; c < 4; c++) {
                    clients.add(CompletableFuture.runAsync(() -> {
                        while (System.nanoTime() < deadline) {
                            RateLimiter.Decision decision = replica.acquire(key).await().atMost(AWAIT);
                            (decision.allowed() ? allowed : refused).incrementAndGet();
                        }
                    }));
                }
            }
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            double seconds = (databaseClock() - dbStart) / 1e6;

            // the bucket's arithmetic over the window, on the database's clock: a full second's burst, then the refill
            long most = limit + (long) Math.floor(limit * seconds) + 1;
            long least = limit + (long) Math.floor(limit * (seconds - 0.5));
            assertTrue(refused.get() > 10 * most, "the replicas asked far more than the limit: " + refused.get());
            assertTrue(allowed.get() <= most && allowed.get() >= least, allowed.get() + " allowed in " + seconds
                    + " s over three replicas; the limit allows " + least + " to " + most
                    + " (three unshared buckets would have allowed about " + 3 * (limit + limit * seconds) + ")");
        } finally {
            pools.forEach(p -> p.close().await().atMost(AWAIT));
        }
    }

    @Test
    void fullBucketsAreDeletedAndTheirCredentialsStartFull() {
        RateLimiter limiter = new RateLimiter(pool, 10, Duration.ZERO);
        String used = credential();
        String full = credential();
        long now = clock();
        assertEquals(10, allowedOf(limiter, used, now, 20));
        allowedOf(limiter, full, now - 7_200_000_000L, 1); // an hour ago: full again long since
        limiter.evictFull().await().atMost(AWAIT);
        assertEquals(1, rows(used), "a bucket in use is kept");
        assertEquals(0, rows(full), "a full bucket is deleted");
        assertEquals(9, take(limiter, full, null).remaining(), "and its credential starts with a full bucket");
    }

    @Test
    void aLeaseIsChargedAsIfTheBucketRanTheLeaseTimeAhead() {
        // 100 a second: 10 ms apart; a lease time of 100 ms allows leases of up to 10 requests
        RateLimiter limiter = new RateLimiter(pool, 100, Duration.ofMillis(100));
        String key = credential();
        long now = clock();
        assertEquals(new RateLimiter.Taken(1, 10_000), taken(limiter, key, 1, now), "one request, one interval");
        // a full bucket runs 10 ms ahead; the lease is charged from 100 ms ahead: 100 ms + 5 × 10 ms
        assertEquals(new RateLimiter.Taken(5, 150_000), taken(limiter, key, 5, now));
        // a bucket already 150 ms ahead (more than the lease time) pays nothing more than the requests
        assertEquals(new RateLimiter.Taken(10, 250_000), taken(limiter, key, 10, now));
        // near the end of the bucket a lease gets what is left; with one left, one request the usual way
        for (int i = 0; i < 72; i++) {
            assertEquals(1, taken(limiter, key, 1, now).granted());
        }
        assertEquals(new RateLimiter.Taken(3, 1_000_000), taken(limiter, key, 10, now), "3 were left: all of them");
        assertEquals(new RateLimiter.Taken(0, 1_000_000), taken(limiter, key, 10, now), "then none");
        assertEquals(new RateLimiter.Taken(0, 1_000_000), taken(limiter, key, 1, now));
        assertEquals(new RateLimiter.Taken(1, 995_000), taken(limiter, key, 10, now + 15_000),
                "15 ms later one is back: too few for a lease, so one request the usual way");
    }

    @Test
    void anUnspentLeaseAndWhatTheBucketStillAllowsNeverExceedTheBurst() {
        RateLimiter limiter = new RateLimiter(pool, 100, Duration.ofMillis(100));
        // at any moment of a lease's life (it is spent within 100 ms of its statement, or dropped), the requests the
        // bucket still allows plus the lease's are at most the burst: nothing refilled while the lease was held is
        // counted twice
        for (long later : new long[]{0, 1_000, 50_000, 99_999, 100_000}) {
            String key = credential();
            long now = clock();
            int leased = taken(limiter, key, 10, now).granted();
            assertEquals(10, leased);
            int more = 0;
            while (taken(limiter, key, 1, now + later).granted() == 1) {
                more++;
            }
            assertTrue(leased + more <= 100, leased + " leased and " + more + " more " + later
                    + " µs later: above the burst of 100");
            assertTrue(leased + more >= 89, leased + " leased and " + more + " more " + later
                    + " µs later: a lease costs at most the lease time's worth (10) of the burst");
        }
    }

    @Test
    void aCredentialBelowTheLimitIsNeverRefusedAndMostOfItsRequestsTakeNoStatement() throws Exception {
        AtomicInteger statements = new AtomicInteger();
        RateLimiter limiter = new RateLimiter(pool, 100, Duration.ofMillis(100)) {
            @Override
            io.smallrye.mutiny.Uni<Taken> take(String credential, int wanted, Long nowMicros) {
                statements.incrementAndGet();
                return super.take(credential, wanted, nowMicros);
            }
        };
        String key = credential();
        int requests = 150;
        int refused = 0;
        int leftMin = Integer.MAX_VALUE;
        for (int i = 0; i < requests; i++) {
            // at most 50 a second, half the limit
            Thread.sleep(20);
            RateLimiter.Decision decision = limiter.acquire(key).await().atMost(AWAIT);
            refused += decision.allowed() ? 0 : 1;
            leftMin = Math.min(leftMin, decision.remaining());
        }
        assertEquals(0, refused, "a credential at half the limit is never refused");
        assertTrue(leftMin >= 50, "its bucket stays above half: " + leftMin);
        assertTrue(statements.get() <= requests * 3 / 4, statements.get() + " statements for " + requests
                + " requests: leases should serve most of them");
    }

    @Test
    void threeReplicasLeasingAllowNoMoreThanTheBucket() throws Exception {
        int limit = 100;
        AtomicInteger leases = new AtomicInteger();
        List<Pool> pools = new ArrayList<>();
        List<RateLimiter> replicas = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Pool own = ownPool();
            pools.add(own);
            replicas.add(new RateLimiter(own, limit, Duration.ofMillis(100)) {
                @Override
                io.smallrye.mutiny.Uni<Taken> take(String credential, int wanted, Long nowMicros) {
                    return super.take(credential, wanted, nowMicros)
                            .invoke(taken -> leases.addAndGet(taken.granted() > 1 ? 1 : 0));
                }
            });
        }
        try {
            String key = credential();
            AtomicInteger allowed = new AtomicInteger();
            long dbStart = databaseClock();
            long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            // each replica: two clients at about 20 a second each (together a little above the limit: the bucket
            // drains slowly, so the replicas lease while it is above half), and one client as fast as it can in the
            // last two seconds
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (RateLimiter replica : replicas) {
                for (int c = 0; c < 3; c++) {
                    boolean fast = c == 2;
                    clients.add(CompletableFuture.runAsync(() -> {
                        long start = deadline - Duration.ofSeconds(2).toNanos();
                        while (System.nanoTime() < deadline) {
                            if (fast && System.nanoTime() < start) {
                                sleep(10);
                                continue;
                            }
                            if (!fast) {
                                sleep(50);
                            }
                            if (replica.acquire(key).await().atMost(AWAIT).allowed()) {
                                allowed.incrementAndGet();
                            }
                        }
                    }));
                }
            }
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            double seconds = (databaseClock() - dbStart) / 1e6;
            long most = limit + (long) Math.floor(limit * seconds) + 1;
            assertTrue(leases.get() > 0, "the replicas took leases");
            assertTrue(allowed.get() <= most, allowed.get() + " allowed in " + seconds + " s over three replicas"
                    + " leasing; the bucket allows at most " + most);
        } finally {
            pools.forEach(p -> p.close().await().atMost(AWAIT));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static RateLimiter.Taken taken(RateLimiter limiter, String credential, int wanted, long nowMicros) {
        return limiter.take(credential, wanted, nowMicros).await().atMost(AWAIT);
    }

    private static RateLimiter.Decision take(RateLimiter limiter, String credential, Long nowMicros) {
        return limiter.acquire(credential, nowMicros).await().atMost(AWAIT);
    }

    private static int allowedOf(RateLimiter limiter, String credential, long nowMicros, int requests) {
        int allowed = 0;
        for (int i = 0; i < requests; i++) {
            allowed += take(limiter, credential, nowMicros).allowed() ? 1 : 0;
        }
        return allowed;
    }

    /** A clock ahead of the database's, so the eviction of full buckets never meets a test's bucket. */
    private static long clock() {
        return System.currentTimeMillis() * 1000 + 3_600_000_000L;
    }

    private static String credential() {
        return "api-key:" + UUID.randomUUID();
    }

    private long databaseClock() {
        return pool.query("SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS now").execute()
                .await().atMost(AWAIT).iterator().next().getLong("now");
    }

    private long rows(String credential) {
        return pool.preparedQuery("SELECT count(*) AS n FROM rate_limit_bucket WHERE credential = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(credential)).await().atMost(AWAIT).iterator().next()
                .getLong("n");
    }

    /** A pool of its own on the test database, as another replica's process would have. */
    private Pool ownPool() {
        PgConnectOptions connect = PgConnectOptions.fromUri(ServiceTestResource.database().reactiveUrl())
                .setUser(PostgresDatabase.user()).setPassword(PostgresDatabase.password());
        return Pool.newInstance(PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(connect)
                .using(vertx.getDelegate()).build());
    }
}
