package com.fetchsms.e2e;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for what happens asynchronously (Kafka between the services) by asking again, never by sleeping blindly. */
final class Poll {

    private static final Duration INTERVAL = Duration.ofMillis(250);

    private Poll() {
    }

    /** Asks {@code probe} until {@code done} holds for its answer; fails with the last answer after {@code timeout}. */
    static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited " + timeout.toSeconds() + " s for " + what + "; last answer: "
                        + describe(last));
            }
            try {
                Thread.sleep(INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + what, e);
            }
            last = probe.get();
        }
        return last;
    }

    private static String describe(Object answer) {
        if (answer instanceof io.restassured.response.Response response) {
            return response.statusCode() + " " + response.asString();
        }
        return String.valueOf(answer);
    }
}
