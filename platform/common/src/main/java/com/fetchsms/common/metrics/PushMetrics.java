package com.fetchsms.common.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.common.messaging.EventHops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * How long a change waits for the channel that pushes it to a client: {@code fetchsms_push_delay_seconds{channel}},
 * from the commit of the change (a released code, a cancel, an expiry) to the answer or line handed to the client's
 * connection. {@code channel} is {@code long_poll} (verification-service and rental-service: a waiting
 * {@code GET …?wait=} answered) or {@code event_stream} (webhook-service: an event written to an open
 * {@code GET /v1/events}). The buckets are the event hops' ({@link EventHops#BUCKETS}), so a share within 20 ms reads
 * off one bucket.
 */
@ApplicationScoped
public class PushMetrics {

    /** The channels that push a change to a client without a public endpoint. */
    public enum Channel {
        LONG_POLL("long_poll"),
        EVENT_STREAM("event_stream");

        private final String tag;

        Channel(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    private final MeterRegistry registry;
    private final Map<Channel, Timer> timers = new ConcurrentHashMap<>();

    public PushMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The channel's timer, registered at its first push: a service shows only the channels it serves. */
    private Timer timer(Channel channel) {
        return timers.computeIfAbsent(channel, c -> Timer.builder("fetchsms.push.delay").tag("channel", c.tag())
                .description("From a change's commit to the long poll's answer or the stream's line that pushes it "
                        + "to the client")
                .serviceLevelObjectives(EventHops.BUCKETS)
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry));
    }

    /** A change committed {@code delay} ago was handed to a client's connection now (negative delays count as 0). */
    public void pushed(Channel channel, Duration delay) {
        timer(channel).record(delay.isNegative() ? Duration.ZERO : delay);
    }
}
