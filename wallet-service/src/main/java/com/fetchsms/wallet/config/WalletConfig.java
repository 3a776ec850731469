package com.fetchsms.wallet.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** wallet-service settings ({@code fetchsms.wallet.*}). */
@ConfigMapping(prefix = "fetchsms.wallet")
public interface WalletConfig {

    Passwords passwords();

    Sessions sessions();

    ApiKeysSettings apiKeys();

    Deposits deposits();

    Payments payments();

    AuthThrottle authThrottle();

    ClientAddresses clientAddresses();

    /** The sandbox wallets of test keys ({@code fetchsms.wallet.sandbox.*}; not the payment provider named sandbox). */
    SandboxWallets sandbox();

    /** Support tickets ({@code fetchsms.wallet.support.*}). */
    Support support();

    /**
     * Whether each debit publishes {@code wallet.debited} (written to the outbox in the debit's transaction). No
     * service of the platform consumes it; off, a debit is one autocommitted statement and the relay and the broker
     * have nothing to do for it (decision 0035). Turn it on for a consumer outside the platform (analytics, audit).
     */
    @WithDefault("false")
    boolean debitEvents();

    /** Largest amount of one administrator adjustment, either sign (cents). */
    @WithDefault("10000000")
    long maxAdjustmentCents();

    interface Passwords {
        /** bcrypt cost (log2 of the rounds); 12 takes about a quarter of a second per hash on one core. */
        @WithDefault("12")
        int bcryptCost();

        /** Shortest password accepted at signup (characters). bcrypt reads at most 72 bytes, so longer is refused. */
        @WithDefault("10")
        int minLength();

        /**
         * Threads that hash and check passwords (bcrypt is CPU work: more threads than cores only queue inside the
         * CPU). Never an event loop, and not the shared worker pool.
         */
        @WithDefault("2")
        int hashingThreads();

        /**
         * Hashing requests that may wait for a thread; beyond them a login, signup or password change is refused at
         * once with 503 and {@code Retry-After} rather than queued without bound.
         */
        @WithDefault("32")
        int hashingQueue();
    }

    /**
     * Throttling of login, signup and password change, per client address and per account (email), each a token
     * bucket that refills evenly over {@link #window()}. A refused attempt is 429 with {@code Retry-After}.
     */
    interface AuthThrottle {
        /** The time in which a bucket refills completely. */
        @WithDefault("1m")
        Duration window();

        /** Failed logins (and failed password changes) per account in one window; a successful login resets it. */
        @WithDefault("5")
        int loginFailuresPerAccount();

        /** Failed logins per client address in one window, whatever the accounts. */
        @WithDefault("20")
        int loginFailuresPerAddress();

        /** Signup attempts per client address in one window, successful or not. */
        @WithDefault("10")
        int signupsPerAddress();

        /** Refused signups (address taken, password refused) per email in one window. */
        @WithDefault("5")
        int signupFailuresPerAccount();

        /** Most buckets held in memory; the least recently used beyond this are dropped (they start full again). */
        @WithDefault("100000")
        long maxTracked();
    }

    /** Where a request's client address comes from. */
    interface ClientAddresses {
        /**
         * Peers whose {@code X-Forwarded-For} is believed (the gateway, and any proxy between it and this service):
         * addresses or CIDR blocks. A request from any other peer is keyed on the peer's own address, whatever it
         * claims. The default is loopback: the local stack's gateway.
         */
        @WithDefault("127.0.0.1/32,::1/128")
        List<String> trustedProxies();
    }

    interface Sessions {
        /** Lifetime of a dashboard session token. */
        @WithDefault("12h")
        Duration ttl();

        /** {@code iss} of the tokens: the value every service verifies ({@code mp.jwt.verify.issuer}). */
        String issuer();

        /** {@code aud} of the tokens. */
        @WithDefault("fetchsms")
        String audience();
    }

    /** Test money of the customers' sandbox twins (decision 0024). */
    interface SandboxWallets {
        /** Credited from {@code sandbox_funding} when the twin is made (the customer's first test key); 0: none. */
        @WithDefault("10000")
        long startingBalanceCents();

        /** Largest single top-up ({@code POST /v1/sandbox/wallet/top-up}). */
        @WithDefault("100000")
        long maxTopUpCents();

        /** A top-up may not take a sandbox wallet above this balance (422). */
        @WithDefault("1000000")
        long maxBalanceCents();
    }

    interface Support {
        /** Tickets that are not closed one account may have; opening another is refused (422). */
        @WithDefault("20")
        int maxOpenPerAccount();
    }

    interface ApiKeysSettings {
        /** Active (not revoked) keys one account may hold. */
        @WithDefault("25")
        int maxActivePerAccount();

        /** Most usage reports accepted in one {@code POST /internal/api-keys/usage}. */
        @WithDefault("1000")
        int maxUsageBatch();
    }

    interface Deposits {
        @WithDefault("100")
        long minCents();

        @WithDefault("1000000")
        long maxCents();
    }

    interface Payments {
        /** The payment provider deposits go to (its {@code PaymentProvider#name()}). */
        @WithDefault("sandbox")
        String provider();

        Sandbox sandbox();
    }

    interface Sandbox {
        /** {@code instant}: a deposit completes at once; {@code deferred}: it waits for a signed webhook. */
        @WithDefault("instant")
        String mode();

        /** HMAC-SHA256 secret of the sandbox's webhook calls; without it every webhook call is refused. */
        Optional<String> webhookSecret();

        /** How old a signed webhook timestamp may be (replay window). */
        @WithDefault("5m")
        Duration webhookTolerance();
    }
}
