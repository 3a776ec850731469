package com.fetchsms.e2e;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Waits for what happens asynchronously (Kafka between the services) by asking again (Awaitility), never by sleeping blindly. */
final class Poll {

    private static final Duration INTERVAL = Duration.ofMillis(250);

    private Poll() {
    }

    /** Asks {@code probe} until {@code done} holds for its answer; fails with the last answer after {@code timeout}. */
    static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
        AtomicReference<T> last = new AtomicReference<>();
        try {
            return Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(INTERVAL)
                    .until(() -> {
                        T answer = probe.get();
                        last.set(answer);
                        return answer;
                    }, done);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Waited " + timeout.toSeconds() + " s for " + what + "; last answer: "
                    + describe(last.get()), e);
        }
    }

    private static String describe(Object answer) {
        if (answer instanceof io.restassured.response.Response response) {
            return response.statusCode() + " " + response.asString();
        }
        return String.valueOf(answer);
    }
}
