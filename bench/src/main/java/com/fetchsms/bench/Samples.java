package com.fetchsms.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of every request of one run, by index: when it was due, when it finished, its status. Requests that
 * never finished (not sent before the run's deadline, or still waiting for an answer then) are <em>censored</em>: their
 * latency is only known to be at least "deadline minus due time", and a percentile that such a value may reach is
 * printed with {@code ≥}.
 */
public final class Samples {

    /** Pseudo-statuses (negative, so they never collide with HTTP's). */
    public static final int UNSENT = -1;
    public static final int NO_ANSWER = -2;
    public static final int IO_ERROR = -3;
    public static final int NOT_SEEN = -4;
    public static final int BAD_SIGNATURE = -5;

    private final long[] due;
    private final long[] sent;
    private final boolean[] wasSent;
    private final long[] finished;
    private final int[] status;
    private final boolean[] done;
    private final boolean[] censored;

    public Samples(int count) {
        due = new long[count];
        sent = new long[count];
        wasSent = new boolean[count];
        finished = new long[count];
        status = new int[count];
        done = new boolean[count];
        censored = new boolean[count];
        Arrays.fill(status, UNSENT);
    }

    public int size() {
        return due.length;
    }

    /** Requests {@code offset}, {@code offset + step}, … (one of several interleaved series). */
    public synchronized Samples every(int step, int offset) {
        Samples part = new Samples(Math.max(0, (due.length - offset + step - 1) / step));
        for (int k = 0, i = offset; i < due.length; k++, i += step) {
            part.due[k] = due[i];
            part.sent[k] = sent[i];
            part.wasSent[k] = wasSent[i];
            part.finished[k] = finished[i];
            part.status[k] = status[i];
            part.done[k] = done[i];
            part.censored[k] = censored[i];
        }
        return part;
    }

    /** The first {@code n} requests only (a closed loop that stopped early). */
    public synchronized Samples prefix(int n) {
        Samples head = new Samples(n);
        System.arraycopy(due, 0, head.due, 0, n);
        System.arraycopy(sent, 0, head.sent, 0, n);
        System.arraycopy(wasSent, 0, head.wasSent, 0, n);
        System.arraycopy(finished, 0, head.finished, 0, n);
        System.arraycopy(status, 0, head.status, 0, n);
        System.arraycopy(done, 0, head.done, 0, n);
        System.arraycopy(censored, 0, head.censored, 0, n);
        return head;
    }

    public synchronized void sent(int i, long dueAt, long sentAt) {
        due[i] = dueAt;
        sent[i] = sentAt;
        wasSent[i] = true;
    }

    /** Request {@code i} finished at {@code finishedAt} with {@code httpStatus} (or a pseudo-status). */
    public synchronized void finished(int i, long finishedAt, int httpStatus) {
        if (done[i]) {
            return;
        }
        finished[i] = finishedAt;
        status[i] = httpStatus;
        done[i] = true;
    }

    public synchronized boolean isDone(int i) {
        return done[i];
    }

    /**
     * Closes the run at {@code deadline}: every request not finished by then is censored, due at {@code dueOf(i)} when
     * it was never sent.
     */
    public synchronized void close(long deadline, java.util.function.IntToLongFunction dueOf) {
        for (int i = 0; i < due.length; i++) {
            if (!done[i]) {
                if (!wasSent[i]) {
                    due[i] = dueOf.applyAsLong(i);
                }
                finished[i] = Math.max(deadline, due[i]);
                status[i] = wasSent[i] ? NO_ANSWER : UNSENT;
                censored[i] = true;
                done[i] = true;
            }
        }
    }

    /** Latency of request {@code i} in nanoseconds (a lower bound when censored). */
    public synchronized long latency(int i) {
        return finished[i] - due[i];
    }

    public synchronized long sendLateness(int i) {
        return wasSent[i] ? Math.max(0, sent[i] - due[i]) : 0;
    }

    public synchronized long finishedAt(int i) {
        return finished[i];
    }

    public synchronized int status(int i) {
        return status[i];
    }

    public synchronized boolean censored(int i) {
        return censored[i];
    }

    /** Percentiles, statuses and counts of the requests with index in {@code [from, to)}. */
    public synchronized Summary summary(int from, int to) {
        int n = Math.max(0, to - from);
        long[] values = new long[n];
        long smallestCensored = Long.MAX_VALUE;
        int censoredCount = 0;
        Map<String, Integer> statuses = new TreeMap<>();
        long firstDue = Long.MAX_VALUE;
        long firstFinished = Long.MAX_VALUE;
        long lastFinished = Long.MIN_VALUE;
        int succeeded = 0;
        long maxLateness = 0;
        for (int k = 0; k < n; k++) {
            int i = from + k;
            values[k] = finished[i] - due[i];
            if (censored[i]) {
                censoredCount++;
                smallestCensored = Math.min(smallestCensored, values[k]);
            }
            statuses.merge(label(status[i]), 1, Integer::sum);
            firstDue = Math.min(firstDue, due[i]);
            if (!censored[i]) {
                firstFinished = Math.min(firstFinished, finished[i]);
                lastFinished = Math.max(lastFinished, finished[i]);
                if (status[i] >= 200 && status[i] < 300) {
                    succeeded++;
                }
            }
            maxLateness = Math.max(maxLateness, sendLateness(i));
        }
        Arrays.sort(values);
        return new Summary(n, succeeded, censoredCount, percentile(values, 0.50), percentile(values, 0.90),
                percentile(values, 0.95), percentile(values, 0.99), n == 0 ? 0 : values[n - 1], smallestCensored,
                statuses,
                n == 0 ? 0 : firstDue, firstFinished == Long.MAX_VALUE ? 0 : firstFinished,
                lastFinished == Long.MIN_VALUE ? 0 : lastFinished, maxLateness);
    }

    /** Nearest-rank percentile of sorted values: the smallest value with at least {@code p} of them at or below. */
    public static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    public static String label(int status) {
        return switch (status) {
            case UNSENT -> "not sent";
            case NO_ANSWER -> "no answer";
            case IO_ERROR -> "I/O error";
            case NOT_SEEN -> "not seen";
            case BAD_SIGNATURE -> "bad signature";
            default -> Integer.toString(status);
        };
    }

    /**
     * @param smallestCensored
     *            the smallest censored latency (Long.MAX_VALUE when none): a percentile at or above it is only a lower
     *            bound
     */
    public record Summary(int count, int succeeded, int censored, long p50, long p90, long p95, long p99, long max,
            long smallestCensored, Map<String, Integer> statuses, long firstDue, long firstFinished,
            long lastFinished, long maxSendLateness) {

        public boolean lowerBound(long value) {
            return value >= smallestCensored;
        }

        /** Successful requests per second, from the first due time to the last completion (closed loops). */
        public double achievedRate() {
            long span = lastFinished - firstDue;
            return span <= 0 ? 0 : succeeded * 1e9 / span;
        }

        /**
         * Successful completions per second between the first and the last completion (open loops): equal to the
         * offered rate when the system keeps pace whatever its latency, lower when answers spread out behind.
         */
        public double completionRate() {
            long span = lastFinished - firstFinished;
            return span <= 0 || succeeded < 2 ? achievedRate() : (succeeded - 1) * 1e9 / span;
        }
    }
}
