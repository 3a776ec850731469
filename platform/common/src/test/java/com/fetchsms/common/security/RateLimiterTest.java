package com.fetchsms.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static RateLimiter limiter(int perSecond, int replicas) {
        return new RateLimiter(new RateLimitConfig() {
            @Override
            public int requestsPerSecond() {
                return perSecond;
            }

            @Override
            public int replicas() {
                return replicas;
            }
        });
    }

    @Test
    void aCredentialGetsOneSecondOfBurstThenWaitsForTheRefill() {
        RateLimiter limiter = limiter(100, 1);
        long now = 1_000_000_000L;
        for (int i = 0; i < 100; i++) {
            assertTrue(limiter.acquire("key-a", now).allowed(), "request " + i);
        }
        RateLimiter.Decision refused = limiter.acquire("key-a", now);
        assertFalse(refused.allowed());
        assertEquals(10, refused.retryAfterMillis());
        assertTrue(limiter.acquire("key-b", now).allowed(), "another credential has its own bucket");
        assertTrue(limiter.acquire("key-a", now + 10_000_000L).allowed(), "10 ms later one token is back");
        assertFalse(limiter.acquire("key-a", now + 10_000_000L).allowed());
    }

    @Test
    void spellingsOfOneBearerTokenShareOneBucket() {
        String key = RateLimitFilter.credential("Bearer fsk_live_abc");
        org.junit.jupiter.api.Assertions.assertEquals(key, RateLimitFilter.credential("bearer fsk_live_abc"));
        org.junit.jupiter.api.Assertions.assertEquals(key, RateLimitFilter.credential("BEARER   fsk_live_abc  "));
        org.junit.jupiter.api.Assertions.assertNotEquals(key, RateLimitFilter.credential("Bearer fsk_live_abd"));
    }

    @Test
    void replicasShareTheLimit() {
        RateLimiter limiter = limiter(100, 4);
        long now = 5_000_000_000L;
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            allowed += limiter.acquire("key", now).allowed() ? 1 : 0;
        }
        assertEquals(25, allowed);
    }
}
