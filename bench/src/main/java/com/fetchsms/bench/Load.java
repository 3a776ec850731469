package com.fetchsms.bench;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/** The two ways the benchmark applies load: an open loop at a fixed rate, and a fixed number of clients. */
public final class Load {

    /**
     * One request (or one multi-step operation) of a run, due at {@code due} ({@link System#nanoTime()}); its future
     * completes with an HTTP or pseudo-status.
     */
    @FunctionalInterface
    public interface Op {
        CompletableFuture<Integer> start(int i, long due);
    }

    private Load() {
    }

    /**
     * Open loop: request {@code i} is started at {@code t0 + i / rate} whether or not earlier ones have finished, and
     * its latency is counted from that due time. At most {@code maxInFlight} are outstanding (a bound on the client,
     * not a pacing device: a request that waits for a slot is late, and its wait is part of its latency). The run
     * ends {@code drain} after the last due time: requests not sent or not answered by then are censored.
     */
    public static Samples open(double rate, int count, int maxInFlight, Duration drain, Op op) {
        Samples samples = new Samples(count);
        Schedule schedule = new Schedule(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20), rate);
        long deadline = schedule.dueAt(count - 1) + drain.toNanos();
        Semaphore slots = new Semaphore(maxInFlight);
        AtomicInteger finished = new AtomicInteger();
        int sent = 0;
        for (int i = 0; i < count; i++) {
            long due = schedule.dueAt(i);
            sleepUntil(due);
            if (!acquire(slots, deadline)) {
                break;
            }
            samples.sent(i, due, System.nanoTime());
            sent++;
            int index = i;
            start(op, i, due).whenComplete((status, error) -> {
                samples.finished(index, System.nanoTime(), status(status, error));
                finished.incrementAndGet();
                slots.release();
            });
        }
        while (finished.get() < sent && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        samples.close(System.nanoTime() < deadline ? System.nanoTime() : deadline, schedule::dueAt);
        settle(slots, maxInFlight);
        return samples;
    }

    /**
     * Closed loop: {@code clients} callers, each starting its next request when its previous one answered, until
     * {@code count} requests were started or {@code maxTime} has passed. Latency is from start to answer.
     */
    public static Samples closed(int clients, int count, Duration maxTime, Op op) {
        Samples samples = new Samples(count);
        AtomicInteger next = new AtomicInteger();
        long deadline = System.nanoTime() + maxTime.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread thread = new Thread(() -> {
                int i;
                while (System.nanoTime() < deadline && (i = next.getAndIncrement()) < count) {
                    long start = System.nanoTime();
                    samples.sent(i, start, start);
                    int status;
                    try {
                        status = start(op, i, start).get(Math.max(1, deadline - System.nanoTime()),
                                TimeUnit.NANOSECONDS);
                    } catch (TimeoutException e) {
                        break; // closed below, as not answered by the deadline
                    } catch (ExecutionException e) {
                        status = status(null, e.getCause());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    samples.finished(i, System.nanoTime(), status);
                }
            }, "bench-client-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int started = Math.min(count, next.get());
        Samples run = samples.prefix(started);
        long end = System.nanoTime();
        run.close(end, i -> end);
        return run;
    }

    private static CompletableFuture<Integer> start(Op op, int i, long due) {
        try {
            return op.start(i, due);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    static int status(Integer status, Throwable error) {
        if (error == null) {
            return status == null ? Samples.IO_ERROR : status;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof HttpTimeoutException) {
            return Samples.NO_ANSWER;
        }
        if (cause instanceof IOException) {
            return Samples.IO_ERROR;
        }
        return Samples.IO_ERROR;
    }

    private static boolean acquire(Semaphore slots, long deadline) {
        try {
            return slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Requests abandoned at the deadline still run: wait (at most 30 s) so they do not weigh on the next run. */
    private static void settle(Semaphore slots, int maxInFlight) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (slots.availablePermits() < maxInFlight && System.nanoTime() < until) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    public static void sleepUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    public static void sleep(Duration duration) {
        sleepUntil(System.nanoTime() + duration.toNanos());
    }
}
