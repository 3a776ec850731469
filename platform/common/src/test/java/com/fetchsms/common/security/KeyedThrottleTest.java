package com.fetchsms.common.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.error.ApiException;

class KeyedThrottleTest {

    private static final String REFUSAL = "Too many failed logins";

    @Test
    void aKeyHasItsCapacityPerWindowThenIsRefusedWith429AndARetryAfterAndOtherKeysAreNotAffected() {
        KeyedThrottle throttle = new KeyedThrottle(Duration.ofMinutes(1), 100);
        for (int i = 0; i < 3; i++) {
            throttle.take("account-a", 3, REFUSAL);
        }
        ApiException refused = assertThrows(ApiException.class, () -> throttle.take("account-a", 3, REFUSAL));
        assertEquals(429, refused.status());
        assertEquals("Too many failed logins: try again later", refused.detail());
        // three tokens per minute: the next one is back within 20 s (and a Retry-After is never below a second)
        assertTrue(refused.retryAfter().compareTo(Duration.ofSeconds(1)) >= 0, refused.retryAfter().toString());
        assertTrue(refused.retryAfter().compareTo(Duration.ofSeconds(20)) <= 0, refused.retryAfter().toString());
        assertDoesNotThrow(() -> throttle.take("account-b", 3, REFUSAL));
    }

    @Test
    void aTokenGivenBackCanBeTakenAgainButNeverRaisesTheBucketAboveItsCapacity() {
        KeyedThrottle throttle = new KeyedThrottle(Duration.ofMinutes(1), 100);
        throttle.take("key", 2, REFUSAL);
        throttle.giveBack("key"); // full again
        throttle.giveBack("key"); // already full: no third token
        throttle.take("key", 2, REFUSAL);
        throttle.take("key", 2, REFUSAL);
        assertThrows(ApiException.class, () -> throttle.take("key", 2, REFUSAL));
        throttle.giveBack("key");
        assertDoesNotThrow(() -> throttle.take("key", 2, REFUSAL));
        throttle.giveBack("never-seen"); // nothing to give back to: no bucket is made
    }

    @Test
    void aResetFillsTheBucketAgain() {
        KeyedThrottle throttle = new KeyedThrottle(Duration.ofMinutes(1), 100);
        throttle.take("key", 1, REFUSAL);
        assertThrows(ApiException.class, () -> throttle.take("key", 1, REFUSAL));
        throttle.reset("key");
        assertDoesNotThrow(() -> throttle.take("key", 1, REFUSAL));
    }

    @Test
    void anEmptiedBucketRefillsEvenlyOverItsWindow() {
        // three tokens per 600 ms: one comes back every 200 ms
        KeyedThrottle throttle = new KeyedThrottle(Duration.ofMillis(600), 100);
        for (int i = 0; i < 3; i++) {
            throttle.take("key", 3, REFUSAL);
        }
        long emptied = System.nanoTime();
        assertThrows(ApiException.class, () -> throttle.take("key", 3, REFUSAL));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
            try {
                throttle.take("key", 3, REFUSAL);
                return true;
            } catch (ApiException refused) {
                return false;
            }
        });
        long waited = Duration.ofNanos(System.nanoTime() - emptied).toMillis();
        assertTrue(waited >= 150, "a token came back after " + waited + " ms, before its 200 ms");
    }
}
