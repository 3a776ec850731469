package com.fetchsms.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReportTest {

    private static final long MS = 1_000_000L;

    @Test
    void anOpenLoopAnsweredAtTheOfferedRateKeptUp() {
        Samples samples = run(200, 1000, i -> 20 * MS);
        assertTrue(Report.keptUp(samples, 200).startsWith("yes"), Report.keptUp(samples, 200));
    }

    @Test
    void aQueueThatBuildsUpIsNotKeepingUp() {
        // offered 200/s, served 100/s: the i-th answer comes at i × 10 ms
        Samples samples = run(200, 1000, i -> i * 5 * MS + 20 * MS);
        String verdict = Report.keptUp(samples, 200);
        assertTrue(verdict.startsWith("NO ("), verdict);
        assertTrue(verdict.contains("achieved 100/s"), verdict);
        assertTrue(verdict.contains("latency grew"), verdict);
    }

    @Test
    void censoredPercentilesArePrintedAsLowerBounds() {
        Samples samples = new Samples(2);
        samples.sent(0, 0, 0);
        samples.finished(0, 5 * MS, 200);
        samples.close(2_000 * MS, i -> i * MS);
        Samples.Summary s = samples.summary(0, 2);
        assertEquals("5.00 ms", Report.pct(s, s.p50()));
        assertEquals("≥ 1,999 ms", Report.pct(s, s.max()));
    }

    private static Samples run(double rate, int count, java.util.function.IntToLongFunction latency) {
        Samples samples = new Samples(count);
        Schedule schedule = new Schedule(0, rate);
        for (int i = 0; i < count; i++) {
            long due = schedule.dueAt(i);
            samples.sent(i, due, due);
            samples.finished(i, due + latency.applyAsLong(i), 200);
        }
        return samples;
    }
}
