package com.fetchsms.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

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
    void theBucketIsTheAcceptedCredentialNotTheHeader() {
        UUID account = UUID.randomUUID();
        UUID key = UUID.randomUUID();
        SecurityIdentity viaKey = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(account.toString()))
                .addRole(Caller.ROLE_API).addAttribute(Caller.KEY_ID_ATTRIBUTE, key).build();
        SecurityIdentity viaSession = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(account.toString())).addRole(Caller.ROLE_USER).build();
        assertEquals("api-key:" + key, RateLimitFilter.bucket(viaKey));
        assertEquals("account:" + account, RateLimitFilter.bucket(viaSession));
        assertEquals("anonymous", RateLimitFilter.bucket(QuarkusSecurityIdentity.builder().setAnonymous(true).build()));
        assertEquals("anonymous", RateLimitFilter.bucket(null));
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

    @Test
    void anIdleBucketRefillsUpToItsLimitAndNoFurther() {
        RateLimiter limiter = limiter(10, 1);
        long now = 7_000_000_000L;
        for (int i = 0; i < 10; i++) {
            assertTrue(limiter.acquire("key", now).allowed());
        }
        assertFalse(limiter.acquire("key", now).allowed());
        // idle for a minute: six hundred tokens' worth of time, but the bucket holds one second of requests
        long later = now + 60_000_000_000L;
        int allowed = 0;
        for (int i = 0; i < 50; i++) {
            allowed += limiter.acquire("key", later).allowed() ? 1 : 0;
        }
        assertEquals(10, allowed);
        // half a second refills half the bucket
        long halfSecond = later + 500_000_000L;
        allowed = 0;
        for (int i = 0; i < 50; i++) {
            allowed += limiter.acquire("key", halfSecond).allowed() ? 1 : 0;
        }
        assertEquals(5, allowed);
    }
}
