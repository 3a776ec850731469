package com.fetchsms.wallet;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Small login and signup budgets per address, and a hashing pool of one thread with a queue of two at a real bcrypt
 * cost: what the throttling and overload tests exercise.
 */
public class AuthLimitsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "fetchsms.wallet.auth-throttle.login-failures-per-address", "3",
                "fetchsms.wallet.auth-throttle.signups-per-address", "3",
                "fetchsms.wallet.auth-throttle.login-failures-per-account", "5",
                "fetchsms.wallet.passwords.hashing-threads", "1",
                "fetchsms.wallet.passwords.hashing-queue", "2",
                "fetchsms.wallet.passwords.bcrypt-cost", "10");
    }
}
