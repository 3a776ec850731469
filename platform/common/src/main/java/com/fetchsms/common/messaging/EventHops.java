package com.fetchsms.common.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * One hop between services, per consumer: {@code fetchsms_consumer_event_delay_seconds{consumer}}, from the moment an
 * event was written to its producer's outbox ({@code ce_time}, the row's {@code occurred_at}, just before that
 * transaction committed) to the moment the consumer has applied it (its commit, or its in-memory view's update).
 */
@ApplicationScoped
public class EventHops {

    /**
     * The buckets of a hop (and of its writer's part, {@code fetchsms.outbox.publish.delay}): a hop should take
     * milliseconds; seconds mean a consumer falls behind or the relay is stuck.
     */
    public static final Duration[] BUCKETS = {Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30)};

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public EventHops(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code consumer} has applied, at {@code now}, an event written at {@code writtenAt} (ignored when unknown). */
    public void applied(String consumer, Instant writtenAt, Instant now) {
        if (writtenAt == null) {
            return;
        }
        Duration delay = Duration.between(writtenAt, now);
        timers.computeIfAbsent(consumer, name -> Timer.builder("fetchsms.consumer.event.delay").tag("consumer", name)
                .description("From an event's writing (ce_time) to its consumer having applied it: one hop")
                .serviceLevelObjectives(BUCKETS)
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry)).record(delay.isNegative() ? Duration.ZERO : delay);
    }
}
