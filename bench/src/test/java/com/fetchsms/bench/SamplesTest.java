package com.fetchsms.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SamplesTest {

    private static final long MS = 1_000_000L;

    @Test
    void percentilesAreNearestRank() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1; // 1 … 100
        }
        assertEquals(50, Samples.percentile(sorted, 0.50));
        assertEquals(90, Samples.percentile(sorted, 0.90));
        assertEquals(95, Samples.percentile(sorted, 0.95));
        assertEquals(99, Samples.percentile(sorted, 0.99));
        assertEquals(100, Samples.percentile(sorted, 1.0));
        assertEquals(1, Samples.percentile(sorted, 0.0));
        assertEquals(7, Samples.percentile(new long[]{7}, 0.99));
        assertEquals(0, Samples.percentile(new long[0], 0.5));
    }

    @Test
    void latencyCountsFromTheDueTimeNotFromWhenTheRequestWasSent() {
        Samples samples = new Samples(1);
        samples.sent(0, 100 * MS, 400 * MS); // the client could only send it 300 ms late
        samples.finished(0, 410 * MS, 200);
        assertEquals(310 * MS, samples.latency(0));
        assertEquals(300 * MS, samples.sendLateness(0));
        assertEquals(300 * MS, samples.summary(0, 1).maxSendLateness());
    }

    @Test
    void requestsUnfinishedAtTheDeadlineAreCensoredLowerBounds() {
        Samples samples = new Samples(4);
        samples.sent(0, 0, 0);
        samples.finished(0, 10 * MS, 201);
        samples.sent(1, 10 * MS, 10 * MS);
        samples.finished(1, 30 * MS, 201);
        samples.sent(2, 20 * MS, 20 * MS); // sent, never answered
        // 3 was never sent: due at 30 ms by the schedule
        samples.close(1_000 * MS, i -> i * 10 * MS);

        assertTrue(samples.censored(2));
        assertTrue(samples.censored(3));
        assertEquals(980 * MS, samples.latency(2));
        assertEquals(970 * MS, samples.latency(3));
        Samples.Summary s = samples.summary(0, 4);
        assertEquals(Map.of("201", 2, "no answer", 1, "not sent", 1), s.statuses());
        assertEquals(2, s.censored());
        assertEquals(2, s.succeeded());
        assertFalse(s.lowerBound(s.p50()), "p50 (20 ms) was observed");
        assertTrue(s.lowerBound(s.p90()), "p90 falls on a censored request");
        assertEquals(980 * MS, s.max());
    }

    @Test
    void anAnswerAfterTheDeadlineDoesNotChangeTheRecord() {
        Samples samples = new Samples(1);
        samples.sent(0, 0, 0);
        samples.close(50 * MS, i -> 0);
        samples.finished(0, 60 * MS, 200);
        assertEquals(Samples.NO_ANSWER, samples.status(0));
        assertEquals(50 * MS, samples.latency(0));
    }

    @Test
    void completionRateIsTheOfferedRateWhenAnswersKeepPaceWhateverTheLatency() {
        Samples samples = new Samples(100);
        for (int i = 0; i < 100; i++) {
            long due = i * 10 * MS; // 100/s
            samples.sent(i, due, due);
            samples.finished(i, due + 500 * MS, 200); // half a second each
        }
        Samples.Summary s = samples.summary(0, 100);
        assertEquals(100.0, s.completionRate(), 1e-9);
        assertEquals(100 / 1.49, s.achievedRate(), 1e-9); // from the first due time, it includes one latency
    }

    @Test
    void interleavedSeriesSplitByIndex() {
        Samples samples = new Samples(5);
        for (int i = 0; i < 5; i++) {
            samples.sent(i, 0, 0);
            samples.finished(i, (i + 1) * MS, i % 2 == 0 ? 200 : 503);
        }
        Samples even = samples.every(2, 0);
        Samples odd = samples.every(2, 1);
        assertEquals(3, even.size());
        assertEquals(2, odd.size());
        assertEquals(Map.of("200", 3), even.summary(0, 3).statuses());
        assertEquals(4 * MS, odd.latency(1));
    }

    @Test
    void theSummaryHasTheNinetyFifthPercentile() {
        Samples samples = new Samples(100);
        for (int i = 0; i < 100; i++) {
            samples.sent(i, 0, 0);
            samples.finished(i, (i + 1) * MS, 200);
        }
        Samples.Summary s = samples.summary(0, 100);
        assertEquals(95 * MS, s.p95());
        assertEquals(90 * MS, s.p90());
        assertEquals(99 * MS, s.p99());
    }
}
