package com.fetchsms.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class UpstreamFailureLogTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final List<String> lines = new ArrayList<>();
    private final UpstreamFailureLog log = new UpstreamFailureLog(Duration.ofSeconds(10), now::get, lines::add);

    private void advanceSeconds(long seconds) {
        now.addAndGet(Duration.ofSeconds(seconds).toNanos());
    }

    @Test
    void theFirstFailureOfAPeriodIsLoggedAndTheRestAreCountedByStatusWhenItEnds() {
        AtomicInteger built = new AtomicInteger();
        log.failed("verification", 504, () -> "first " + built.incrementAndGet());
        for (int i = 0; i < 300; i++) {
            log.failed("verification", i % 100 == 0 ? 503 : 504, () -> "again " + built.incrementAndGet());
        }
        assertEquals(List.of("first 1"), lines);
        assertEquals(1, built.get(), "the lines of counted failures are never built");

        advanceSeconds(9);
        log.flush();
        assertEquals(1, lines.size(), "the period has not ended");

        advanceSeconds(1);
        log.flush();
        assertEquals(List.of("first 1",
                "300 more requests to verification failed within 10s of the one logged before (503 × 3, 504 × 297)"),
                lines);
        log.flush();
        assertEquals(2, lines.size(), "a count is logged once");
    }

    @Test
    void aFailureAfterThePeriodLogsTheCountBeforeItselfAndOpensANewPeriod() {
        log.failed("wallet", 502, () -> "one");
        log.failed("wallet", 502, () -> "two");
        advanceSeconds(11);
        log.failed("wallet", 503, () -> "three");
        log.failed("wallet", 503, () -> "four");
        assertEquals(List.of("one", "1 more requests to wallet failed within 10s of the one logged before (502 × 1)",
                "three"), lines);
    }

    @Test
    void eachServiceHasItsOwnPeriod() {
        log.failed("catalog", 504, () -> "catalog");
        log.failed("rental", 503, () -> "rental");
        log.failed("catalog", 504, () -> "catalog again");
        assertEquals(List.of("catalog", "rental"), lines);
    }

    @Test
    void aLoneFailurePerPeriodIsAlwaysLoggedWithItsCause() {
        log.failed("catalog", 504, () -> "a");
        advanceSeconds(10);
        log.flush();
        log.failed("catalog", 504, () -> "b");
        advanceSeconds(30);
        log.failed("catalog", 504, () -> "c");
        assertEquals(List.of("a", "b", "c"), lines);
    }
}
