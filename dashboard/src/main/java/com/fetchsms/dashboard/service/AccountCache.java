package com.fetchsms.dashboard.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fetchsms.dashboard.client.PublicApi;
import com.fetchsms.dashboard.config.DashboardConfig;
import com.fetchsms.dashboard.domain.Account;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.smallrye.mutiny.Uni;

/**
 * The signed-in account of a session ({@code GET /v1/account}), which frames every page, kept for
 * {@code fetchsms.dashboard.account-cache.ttl} so that a customer clicking through pages costs one API call per page
 * (its data) instead of two. Keyed by a digest of the session, never the session itself; a refused session is not
 * kept (the next page asks again), and signing out forgets the browser's own entry at once. A session signed out
 * elsewhere can frame a page for at most the TTL; the page's data is still asked for with the session, and refused.
 * Concurrent pages of one session share one call.
 */
@ApplicationScoped
public class AccountCache {

    private final PublicApi api;
    private final AsyncCache<String, Account> accounts;
    private final boolean enabled;

    @Inject
    public AccountCache(@RestClient PublicApi api, DashboardConfig config) {
        this(api, config.accountCache().ttl(), config.accountCache().maxSessions(), Ticker.systemTicker());
    }

    AccountCache(PublicApi api, Duration ttl, int maxSessions, Ticker ticker) {
        this.api = api;
        this.enabled = !ttl.isZero() && !ttl.isNegative() && maxSessions > 0;
        this.accounts = Caffeine.newBuilder().expireAfterWrite(enabled ? ttl : Duration.ofSeconds(1))
                .maximumSize(Math.max(maxSessions, 0)).ticker(ticker).buildAsync();
    }

    /** The account of {@code bearer} ({@code Bearer <session>}); fails as {@link PublicApi#account} does. */
    public Uni<Account> of(String bearer) {
        if (!enabled) {
            return api.account(bearer);
        }
        return Uni.createFrom().completionStage(
                () -> accounts.get(key(bearer), (key, executor) -> api.account(bearer).subscribeAsCompletionStage()));
    }

    /** Forgets the account of {@code bearer} (its session was just signed out). */
    public void forget(String bearer) {
        if (bearer != null) {
            accounts.synchronous().invalidate(key(bearer));
        }
    }

    /** The keys of the accounts kept (for tests). */
    Set<String> keys() {
        return accounts.synchronous().asMap().keySet();
    }

    private static String key(String bearer) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(bearer.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", impossible);
        }
    }
}
