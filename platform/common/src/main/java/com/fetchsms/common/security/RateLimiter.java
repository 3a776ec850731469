package com.fetchsms.common.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;

/**
 * Token buckets per credential, in memory: a bucket holds up to one second of requests and refills continuously.
 * Idle buckets are full buckets and are dropped, so memory follows the number of active credentials.
 */
@ApplicationScoped
public class RateLimiter {

    /** The outcome of one request: allowed or not, what is left, and when a token comes back. */
    public record Decision(boolean allowed, int limit, int remaining, long retryAfterMillis) {
    }

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }
    }

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final int perReplica;

    public RateLimiter(RateLimitConfig config) {
        this.perReplica = Math.max(1, config.requestsPerSecond() / Math.max(1, config.replicas()));
    }

    public Decision acquire(String credential) {
        return acquire(credential, System.nanoTime());
    }

    Decision acquire(String credential, long now) {
        Bucket bucket = buckets.computeIfAbsent(credential, k -> new Bucket(perReplica, now));
        synchronized (bucket) {
            double refill = (now - bucket.updatedNanos) / 1_000_000_000.0 * perReplica;
            bucket.tokens = Math.min(perReplica, bucket.tokens + refill);
            bucket.updatedNanos = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return new Decision(true, perReplica, (int) bucket.tokens, 0);
            }
            long wait = (long) Math.ceil((1 - bucket.tokens) / perReplica * 1000);
            return new Decision(false, perReplica, 0, Math.max(1, wait));
        }
    }

    /** Drops buckets that have been idle long enough to be full again. */
    @Scheduled(every = "60s", identity = "fetchsms-rate-limit-eviction")
    public void evictIdle() {
        long now = System.nanoTime();
        buckets.entrySet().removeIf(e -> now - e.getValue().updatedNanos > 2_000_000_000L);
    }
}
