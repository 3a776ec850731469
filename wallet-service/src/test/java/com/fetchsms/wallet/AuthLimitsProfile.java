package com.fetchsms.wallet;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Small login and signup budgets per address, and a hashing pool of one thread with a queue of two at the production
 * bcrypt cost (hundreds of milliseconds a hash here), with the event loops' blocked-thread limit at 200 ms: what the
 * throttling and overload tests exercise. Were a hash ever run on an event loop, Vert.x would log it as blocked, with
 * the stack of the blocked thread.
 */
public class AuthLimitsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.vertx.max-event-loop-execute-time", "200ms",
                "quarkus.vertx.warning-exception-time", "200ms",
                "fetchsms.wallet.auth-throttle.login-failures-per-address", "3",
                "fetchsms.wallet.auth-throttle.signups-per-address", "3",
                "fetchsms.wallet.auth-throttle.login-failures-per-account", "5",
                "fetchsms.wallet.passwords.hashing-threads", "1",
                "fetchsms.wallet.passwords.hashing-queue", "2",
                "fetchsms.wallet.passwords.bcrypt-cost", "12");
    }
}
