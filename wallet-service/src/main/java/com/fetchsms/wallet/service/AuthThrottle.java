package com.fetchsms.wallet.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.wallet.config.WalletConfig;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Throttles login, signup and password change per client address and per account (email): token buckets (Bucket4j)
 * that refill evenly over the window, in a bounded map (Caffeine) whose idle entries expire once they would be full
 * again. Every attempt takes a token from each of its buckets before any password is hashed, so parallel attempts
 * count too; {@link Attempt#succeeded()} gives the tokens back (and a successful login empties the account's
 * failures), so only failures use up a budget and a real user is never locked out for longer than one window after
 * the failures stop. In memory per replica: the budgets multiply by the replica count.
 */
@ApplicationScoped
public class AuthThrottle {

    /** What is being throttled; the bucket keys differ per kind. */
    public enum Kind {
        LOGIN,
        SIGNUP,
        PASSWORD_CHANGE
    }

    /** The tokens one attempt took; give them back when it succeeded or never got to check a password. */
    public static final class Attempt {
        private final List<Bucket> taken = new ArrayList<>(2);
        private Bucket addressBucket;
        private Bucket accountBucket;
        private Kind kind;

        /**
         * The attempt succeeded. A login or password check gives its address token back and empties the account's
         * failures; a signup keeps its address token (few new accounts per address) and gives the email's back.
         */
        public void succeeded() {
            if (kind == Kind.SIGNUP) {
                if (accountBucket != null) {
                    accountBucket.addTokens(1);
                }
                return;
            }
            if (addressBucket != null) {
                addressBucket.addTokens(1);
            }
            if (accountBucket != null) {
                accountBucket.reset();
            }
        }

        /** The attempt ended before a password was judged (overload, an outage): it counts against nobody. */
        public void cancelled() {
            taken.forEach(bucket -> bucket.addTokens(1));
        }
    }

    private final WalletConfig.AuthThrottle config;
    private final Cache<String, Bucket> buckets;

    public AuthThrottle(WalletConfig config) {
        this.config = config.authThrottle();
        this.buckets = Caffeine.newBuilder()
                .maximumSize(this.config.maxTracked())
                .expireAfterAccess(this.config.window())
                .build();
    }

    /**
     * Takes a token from the address's and the account's bucket for one attempt; 429 with {@code Retry-After} when
     * either is empty (then nothing is hashed).
     */
    public Attempt begin(Kind kind, String address, String email) {
        Attempt attempt = new Attempt();
        attempt.kind = kind;
        switch (kind) {
            case LOGIN -> {
                attempt.addressBucket = take(attempt, "login-address:" + address, config.loginFailuresPerAddress(),
                        "Too many failed logins from this address");
                attempt.accountBucket = take(attempt, "login-account:" + key(email), config.loginFailuresPerAccount(),
                        "Too many failed logins for this account");
            }
            case PASSWORD_CHANGE -> attempt.accountBucket = take(attempt, "login-account:" + key(email),
                    config.loginFailuresPerAccount(), "Too many failed password checks for this account");
            case SIGNUP -> {
                attempt.addressBucket = take(attempt, "signup-address:" + address, config.signupsPerAddress(),
                        "Too many signups from this address");
                attempt.accountBucket = take(attempt, "signup-account:" + key(email),
                        config.signupFailuresPerAccount(), "Too many refused signups for this email");
            }
        }
        return attempt;
    }

    private Bucket take(Attempt attempt, String key, int capacity, String refusal) {
        Bucket bucket = buckets.get(key, k -> newBucket(capacity));
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            // Give back what this attempt already took: a refused attempt hashes nothing and costs nothing else.
            attempt.cancelled();
            throw ApiException.tooManyRequests(refusal + ": try again later",
                    Duration.ofNanos(Math.max(probe.getNanosToWaitForRefill(), 1_000_000_000L)));
        }
        attempt.taken.add(bucket);
        return bucket;
    }

    private Bucket newBucket(int capacity) {
        int tokens = Math.max(1, capacity);
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(tokens).refillGreedy(tokens, config.window()).build())
                .build();
    }

    private static String key(String email) {
        return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    }
}
