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
 * times it.
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
        RateLimiter limiter = new RateLimiter(pool, () -> 100);
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
        RateLimiter limiter = new RateLimiter(pool, () -> 10);
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
        RateLimiter limiter = new RateLimiter(pool, () -> 10);
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
            replicas.add(new RateLimiter(own, () -> limit));
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
        RateLimiter limiter = new RateLimiter(pool, () -> 10);
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
