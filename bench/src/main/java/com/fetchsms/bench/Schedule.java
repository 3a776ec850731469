package com.fetchsms.bench;

/**
 * Arithmetic of an open-loop schedule: request {@code i} of a run at {@code rate} per second that starts at
 * {@code t0} is due at {@code t0 + i / rate}, whatever happened to the requests before it. Latency is counted from
 * that due time, so a stall of the system (or of the client) shows as latency of every request it delayed instead of
 * silently lowering the offered rate (no coordinated omission).
 */
public final class Schedule {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long t0;
    private final double rate;

    public Schedule(long t0, double rate) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("rate must be positive, got " + rate);
        }
        this.t0 = t0;
        this.rate = rate;
    }

    /** When request {@code i} (from 0) is due, in {@link System#nanoTime()} units. */
    public long dueAt(long i) {
        return t0 + Math.round(i * (NANOS_PER_SECOND / rate));
    }

    /** How many requests a run of {@code seconds} at {@code rate} per second offers (at least one). */
    public static int count(double rate, double seconds) {
        return (int) Math.max(1, Math.round(rate * seconds));
    }

    /** The nominal length of a run of {@code count} requests: the last one is due at {@code (count - 1) / rate}. */
    public long span(int count) {
        return dueAt(count) - t0;
    }

    public long t0() {
        return t0;
    }

    public double rate() {
        return rate;
    }
}
