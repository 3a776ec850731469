package com.fetchsms.common.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Codes handed to their buyers, shared by verification-service (a code released to a verification) and rental-service
 * (a message with a code stored on a rental): {@code fetchsms_codes_released_total{product}} and the histogram
 * {@code fetchsms_code_release_delay_seconds{product}}, from the carrier's {@code received_at} (in {@code sms.inbound})
 * to the commit that made the code visible. Buckets are the latencies a customer notices, up to the 15-minute window.
 */
@ApplicationScoped
public class CodeMetrics {

    public static final String VERIFICATION = "verification";
    public static final String RENTAL = "rental";

    static final Duration[] BUCKETS = {Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(15)};

    private final MeterRegistry registry;
    private final Map<String, Meters> byProduct = new ConcurrentHashMap<>();

    private record Meters(Counter released, Timer delay) {
    }

    public CodeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A code of an SMS the carrier received at {@code receivedAt} reached its buyer now (call after the commit). */
    public void released(String product, Instant receivedAt) {
        Meters meters = byProduct.computeIfAbsent(product, this::meters);
        meters.released().increment();
        if (receivedAt != null) {
            Duration delay = Duration.between(receivedAt, Instant.now());
            meters.delay().record(delay.isNegative() ? Duration.ZERO : delay);
        }
    }

    /** Registers a product's meters, so they read 0 before its first code. */
    public void register(String product) {
        byProduct.computeIfAbsent(product, this::meters);
    }

    private Meters meters(String product) {
        Counter released = Counter.builder("fetchsms.codes.released").tag("product", product)
                .description("Codes released to their buyers (verification: released; rental: stored with a code)")
                .register(registry);
        Timer delay = Timer.builder("fetchsms.code.release.delay").tag("product", product)
                .description("From the carrier's received_at of an SMS to its code being released to the buyer")
                .serviceLevelObjectives(BUCKETS)
                .minimumExpectedValue(Duration.ofMillis(100))
                .maximumExpectedValue(Duration.ofMinutes(30))
                .register(registry);
        return new Meters(released, delay);
    }
}
