package com.fetchsms.bench;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Polls {@code GET /v1/verifications/{id}} for each watched verification, as a customer's integration does, until its
 * code shows: every {@code interval} per verification (5 ms), within a global budget of polls per second so that
 * polling does not become the load it measures. With a few verifications outstanding (one SMS at a time) each is
 * polled every 5 ms; with many, the budget is shared oldest first and the effective interval grows, which
 * {@link #polls()} lets the report show. The time a code became visible is when the poll that saw it answered.
 */
final class CodeWatch implements AutoCloseable {

    private final Fixture fixture;
    private final long interval;
    private final double budget;
    private final long timeout;
    private final ConcurrentLinkedQueue<Watched> watched = new ConcurrentLinkedQueue<>();
    private final AtomicLong polls = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private static final class Watched {
        final Fixture.Verification verification;
        final String expected;
        final long deadline;
        final CompletableFuture<Integer> seen = new CompletableFuture<>();
        volatile boolean polling;
        volatile long nextPoll;

        Watched(Fixture.Verification verification, String code, long deadline) {
            this.verification = verification;
            this.expected = "\"code\":\"" + code + "\"";
            this.deadline = deadline;
        }
    }

    CodeWatch(Fixture fixture, double intervalMillis, double pollsPerSecond, Duration timeout) {
        this.fixture = fixture;
        this.interval = (long) (intervalMillis * 1_000_000);
        this.budget = pollsPerSecond;
        this.timeout = timeout.toNanos();
        this.thread = new Thread(this::loop, "bench-code-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** Completes with 200 when the code is visible, {@link Samples#NOT_SEEN} after the timeout. */
    CompletableFuture<Integer> watch(Fixture.Verification verification, String code) {
        Watched w = new Watched(verification, code, System.nanoTime() + timeout);
        w.nextPoll = System.nanoTime();
        watched.add(w);
        return w.seen;
    }

    long polls() {
        return polls.get();
    }

    private void loop() {
        double tokens = 0;
        long last = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            tokens = Math.min(Math.max(1, budget / 100), tokens + (now - last) * budget / 1e9);
            last = now;
            for (Iterator<Watched> it = watched.iterator(); it.hasNext();) {
                Watched w = it.next();
                if (w.seen.isDone()) {
                    it.remove();
                } else if (now > w.deadline && !w.polling) {
                    w.seen.complete(Samples.NOT_SEEN);
                    it.remove();
                } else if (!w.polling && now >= w.nextPoll && tokens >= 1) {
                    tokens--;
                    poll(w);
                }
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500));
        }
    }

    private void poll(Watched w) {
        w.polling = true;
        polls.incrementAndGet();
        fixture.api.get("/v1/verifications/" + w.verification.id(), fixture.key(w.verification.account()))
                .whenComplete((r, error) -> {
                    if (error == null && r.status() == 200 && r.body().contains(w.expected)) {
                        w.seen.complete(200);
                    }
                    w.nextPoll = System.nanoTime() + interval;
                    w.polling = false;
                });
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
