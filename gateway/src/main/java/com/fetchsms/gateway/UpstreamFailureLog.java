package com.fetchsms.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The gateway's log of failures to reach a service, without a line per failed request: when a service is overloaded or
 * down, every request to it fails the same way, and a WARN line for each cost the gateway more CPU than forwarding did
 * (a fifth of its time in one overload profile). Per service, the first failure of each period is logged at once with
 * its request and cause; the others of that period are counted by status and logged in one line once the period has
 * ended ({@link #flush}, which the gateway calls every period, or the next failure after it).
 */
final class UpstreamFailureLog {

    private final long periodNanos;
    private final String period;
    private final LongSupplier nanoClock;
    private final Consumer<String> warn;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** One service's current period: when it began, and the failures not logged since (status → count). */
    private static final class Window {
        boolean open;
        long startedNanos;
        final Map<Integer, Integer> unlogged = new TreeMap<>();
    }

    UpstreamFailureLog(Duration period, LongSupplier nanoClock, Consumer<String> warn) {
        this.periodNanos = period.toNanos();
        this.period = period.toString().substring(2).toLowerCase();
        this.nanoClock = nanoClock;
        this.warn = warn;
    }

    /** A request to {@code service} failed and was answered {@code status}; {@code line} describes it, built if logged. */
    void failed(String service, int status, Supplier<String> line) {
        long now = nanoClock.getAsLong();
        Window window = windows.computeIfAbsent(service, name -> new Window());
        String summary;
        boolean logThis;
        synchronized (window) {
            if (window.open && now - window.startedNanos < periodNanos) {
                window.unlogged.merge(status, 1, Integer::sum);
                return;
            }
            summary = drain(service, window);
            window.open = true;
            window.startedNanos = now;
            logThis = true;
        }
        if (summary != null) {
            warn.accept(summary);
        }
        if (logThis) {
            warn.accept(line.get());
        }
    }

    /** Logs the count of every period that has ended with failures not logged yet. */
    void flush() {
        long now = nanoClock.getAsLong();
        windows.forEach((service, window) -> {
            String summary;
            synchronized (window) {
                if (!window.open || now - window.startedNanos < periodNanos) {
                    return;
                }
                summary = drain(service, window);
                window.open = false;
            }
            if (summary != null) {
                warn.accept(summary);
            }
        });
    }

    private String drain(String service, Window window) {
        if (window.unlogged.isEmpty()) {
            return null;
        }
        int total = 0;
        StringJoiner statuses = new StringJoiner(", ");
        for (Map.Entry<Integer, Integer> entry : window.unlogged.entrySet()) {
            total += entry.getValue();
            statuses.add(entry.getKey() + " × " + entry.getValue());
        }
        window.unlogged.clear();
        return String.format("%d more requests to %s failed within %s of the one logged before (%s)", total, service,
                period, statuses);
    }
}
