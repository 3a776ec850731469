package com.fetchsms.common.messaging;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;

/**
 * The bound on what a start waits for from Kafka ({@code fetchsms.kafka.startup-wait}, decision 0032): the startup
 * checks that wait for the broker (the consumers' first partitions, the API-key view's replay) report started once it
 * is over, whatever Kafka does, so a replica started during a broker outage still comes to serve its HTTP routes.
 */
@ApplicationScoped
public class StartupWait {

    private final GroupMembershipConfig config;
    /** {@link System#nanoTime()} of this application's start; 0 until then. */
    private volatile long startedAt;

    public StartupWait(GroupMembershipConfig config) {
        this.config = config;
    }

    void started(@Observes @Priority(0) StartupEvent event) {
        startedAt = System.nanoTime();
    }

    /** Whether the wait is over: {@code startup-wait} has passed since the application started. */
    public boolean over() {
        long at = startedAt;
        return at != 0 && System.nanoTime() - at >= config.startupWait().toNanos();
    }

    /** The configured bound, as its settings name it ({@code 60s}). */
    public String bound() {
        return config.startupWait().toSeconds() + "s";
    }
}
