package com.fetchsms.wallet.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.common.security.KeyedThrottle;
import com.fetchsms.wallet.config.WalletConfig;

/**
 * Throttles login, signup and password change per client address and per account (email), with the platform's
 * {@link KeyedThrottle} (token buckets refilling evenly over the window). Every attempt takes a token from each of its
 * buckets before any password is hashed, so parallel attempts count too; {@link Attempt#succeeded()} gives the tokens
 * back (and a successful login empties the account's failures), so only failures use up a budget and a real user is
 * never locked out for longer than one window after the failures stop. In memory per replica: the budgets multiply
 * by the replica count.
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
    public final class Attempt {
        private final Kind kind;
        private final List<String> taken = new ArrayList<>(2);
        private String addressKey;
        private String accountKey;

        private Attempt(Kind kind) {
            this.kind = kind;
        }

        /**
         * The attempt succeeded. A login or password check gives its address token back and empties the account's
         * failures; a signup keeps its address token (few new accounts per address) and gives the email's back.
         */
        public void succeeded() {
            if (kind == Kind.SIGNUP) {
                if (accountKey != null) {
                    throttle.giveBack(accountKey);
                }
                return;
            }
            if (addressKey != null) {
                throttle.giveBack(addressKey);
            }
            if (accountKey != null) {
                throttle.reset(accountKey);
            }
        }

        /** The attempt ended before a password was judged (overload, an outage): it counts against nobody. */
        public void cancelled() {
            taken.forEach(throttle::giveBack);
        }

        private String take(String key, int capacity, String refusal) {
            try {
                throttle.take(key, capacity, refusal);
            } catch (RuntimeException e) {
                // A refused attempt hashes nothing and costs nothing else: give back what it already took.
                cancelled();
                throw e;
            }
            taken.add(key);
            return key;
        }
    }

    private final WalletConfig.AuthThrottle config;
    private final KeyedThrottle throttle;

    public AuthThrottle(WalletConfig config) {
        this.config = config.authThrottle();
        this.throttle = new KeyedThrottle(this.config.window(), this.config.maxTracked());
    }

    /**
     * Takes a token from the address's and the account's bucket for one attempt; 429 with {@code Retry-After} when
     * either is empty (then nothing is hashed).
     */
    public Attempt begin(Kind kind, String address, String email) {
        Attempt attempt = new Attempt(kind);
        switch (kind) {
            case LOGIN -> {
                attempt.addressKey = attempt.take("login-address:" + address, config.loginFailuresPerAddress(),
                        "Too many failed logins from this address");
                attempt.accountKey = attempt.take("login-account:" + key(email), config.loginFailuresPerAccount(),
                        "Too many failed logins for this account");
            }
            case PASSWORD_CHANGE -> attempt.accountKey = attempt.take("login-account:" + key(email),
                    config.loginFailuresPerAccount(), "Too many failed password checks for this account");
            case SIGNUP -> {
                attempt.addressKey = attempt.take("signup-address:" + address, config.signupsPerAddress(),
                        "Too many signups from this address");
                attempt.accountKey = attempt.take("signup-account:" + key(email),
                        config.signupFailuresPerAccount(), "Too many refused signups for this email");
            }
        }
        return attempt;
    }

    private static String key(String email) {
        return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    }
}
