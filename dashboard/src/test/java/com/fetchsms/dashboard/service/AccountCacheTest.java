package com.fetchsms.dashboard.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.fetchsms.dashboard.client.ApiError;
import com.fetchsms.dashboard.client.PublicApi;
import com.fetchsms.dashboard.domain.Account;

import io.smallrye.mutiny.Uni;

/** The account framing every page is asked of the API once per session and TTL, and never kept when refused. */
class AccountCacheTest {

    private static final String ALICE = "Bearer fss_alice";
    private static final String BOB = "Bearer fss_bob";
    private static final Duration TTL = Duration.ofSeconds(5);

    /** {@code GET /v1/account} as the API answers it, counting the calls made with each session. */
    private final List<String> calls = new ArrayList<>();
    private final List<CompletableFuture<Account>> pending = new ArrayList<>();
    private boolean answerAtOnce = true;
    private int refuse = 0;
    private final AtomicLong nanos = new AtomicLong();

    private final PublicApi api = (PublicApi) Proxy.newProxyInstance(PublicApi.class.getClassLoader(),
            new Class<?>[]{PublicApi.class}, (proxy, method, args) -> {
                if (!method.getName().equals("account")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                String bearer = (String) args[0];
                calls.add(bearer);
                if (refuse > 0) {
                    refuse--;
                    return Uni.createFrom().failure(new ApiError(401, "Sign in again"));
                }
                if (answerAtOnce) {
                    return Uni.createFrom().item(account(bearer));
                }
                CompletableFuture<Account> answer = new CompletableFuture<>();
                pending.add(answer);
                return Uni.createFrom().completionStage(answer);
            });

    private static Account account(String bearer) {
        return new Account(bearer.substring("Bearer fss_".length()), bearer + "@example.com", "customer",
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    private AccountCache cache(Duration ttl) {
        return new AccountCache(api, ttl, 100, nanos::get);
    }

    private static Account page(AccountCache cache, String bearer) {
        return cache.of(bearer).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void pagesOfOneSessionWithinTheTtlAskTheApiOnce() {
        AccountCache cache = cache(TTL);
        assertEquals("alice", page(cache, ALICE).id());
        nanos.addAndGet(Duration.ofSeconds(4).toNanos());
        assertEquals("alice", page(cache, ALICE).id());
        assertEquals(List.of(ALICE), calls);
    }

    @Test
    void eachSessionHasItsOwnAccount() {
        AccountCache cache = cache(TTL);
        assertEquals("alice", page(cache, ALICE).id());
        assertEquals("bob", page(cache, BOB).id());
        assertEquals("alice", page(cache, ALICE).id());
        assertEquals(List.of(ALICE, BOB), calls);
    }

    @Test
    void pastTheTtlTheApiIsAskedAgain() {
        AccountCache cache = cache(TTL);
        page(cache, ALICE);
        nanos.addAndGet(TTL.plusMillis(1).toNanos());
        page(cache, ALICE);
        assertEquals(List.of(ALICE, ALICE), calls);
    }

    @Test
    void aRefusedSessionIsNotKeptAndTheNextPageAsksAgain() {
        AccountCache cache = cache(TTL);
        refuse = 1;
        ApiError refused = assertThrows(ApiError.class, () -> page(cache, ALICE));
        assertEquals(401, refused.status());
        assertEquals("alice", page(cache, ALICE).id());
        assertEquals(List.of(ALICE, ALICE), calls);
    }

    @Test
    void signingOutForgetsTheSessionsAccount() {
        AccountCache cache = cache(TTL);
        page(cache, ALICE);
        page(cache, BOB);
        cache.forget(ALICE);
        page(cache, ALICE);
        page(cache, BOB);
        assertEquals(List.of(ALICE, BOB, ALICE), calls);
    }

    @Test
    void concurrentPagesOfOneSessionShareOneCall() {
        AccountCache cache = cache(TTL);
        answerAtOnce = false;
        CompletableFuture<Account> first = cache.of(ALICE).subscribeAsCompletionStage();
        CompletableFuture<Account> second = cache.of(ALICE).subscribeAsCompletionStage();
        assertFalse(first.isDone());
        assertEquals(1, pending.size());
        pending.get(0).complete(account(ALICE));
        assertEquals("alice", first.join().id());
        assertEquals("alice", second.join().id());
        assertEquals(List.of(ALICE), calls);
    }

    @Test
    void aTtlOfZeroAsksOnEveryPage() {
        AccountCache cache = cache(Duration.ZERO);
        page(cache, ALICE);
        page(cache, ALICE);
        assertEquals(List.of(ALICE, ALICE), calls);
    }

    @Test
    void theSessionItselfIsNotTheKey() {
        AccountCache cache = cache(TTL);
        page(cache, ALICE);
        assertTrue(cache.keys().stream().noneMatch(key -> key.contains("alice")), String.valueOf(cache.keys()));
        assertEquals(1, cache.keys().size());
    }
}
