package com.fetchsms.wallet.config;

import java.time.Duration;
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
