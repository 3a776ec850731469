package com.fetchsms.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

/** Which bucket a request takes from; the buckets themselves are tested on a database (fetchsms-common-tests). */
class RateLimitFilterTest {

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
    void aRefusalNamesTheLimitAndWhenATokenIsBack() {
        var refusal = RateLimitFilter.refusal(new RateLimiter.Decision(false, 100, 0, 10));
        assertEquals(429, refusal.status());
        assertEquals("Too many requests: the limit is 100 per second per credential", refusal.detail());
        assertEquals(10, refusal.retryAfter().toMillis());
    }
}
