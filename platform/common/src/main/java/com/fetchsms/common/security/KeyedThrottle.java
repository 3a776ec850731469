package com.fetchsms.common.security;

import java.time.Duration;

import com.fetchsms.common.error.ApiException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Budgets per key over a window (e.g. failed logins per account per minute, webhook tests per account): a token
 * bucket (Bucket4j) per key that refills evenly over the window, in a map bounded in size whose idle entries expire
 * once they would be full again (Caffeine). In the memory of one replica. Unlike {@link RateLimiter} (requests per
 * second per credential, taken by a filter), the caller decides what counts: it {@link #take}s before the work, and may
 * {@link #giveBack} or {@link #reset} after it.
 */
public final class KeyedThrottle {

    private final Cache<String, Bucket> buckets;
    private final Duration window;

    /**
     * @param window the time in which an empty bucket refills completely (and after which an idle entry is dropped)
     * @param maxTracked most keys held; the least recently used beyond are dropped (they start full again)
     */
    public KeyedThrottle(Duration window, long maxTracked) {
        this.window = window;
        this.buckets = Caffeine.newBuilder().maximumSize(maxTracked).expireAfterAccess(window).build();
    }

    /**
     * Takes one token of {@code key}'s bucket of {@code capacity} tokens per window; when it is empty, fails with 429
     * {@code "<refusal>: try again later"} and a {@code Retry-After} of the time until a token is back (at least 1 s).
     */
    public void take(String key, int capacity, String refusal) {
        int tokens = Math.max(1, capacity);
        Bucket bucket = buckets.get(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(tokens).refillGreedy(tokens, window).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw ApiException.tooManyRequests(refusal + ": try again later",
                    Duration.ofNanos(Math.max(probe.getNanosToWaitForRefill(), 1_000_000_000L)));
        }
    }

    /** Gives one token back to {@code key}'s bucket (the attempt did not count), never above its capacity. */
    public void giveBack(String key) {
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket != null) {
            bucket.addTokens(1);
        }
    }

    /** Fills {@code key}'s bucket again (e.g. a successful login clears the failures). */
    public void reset(String key) {
        buckets.invalidate(key);
    }
}
