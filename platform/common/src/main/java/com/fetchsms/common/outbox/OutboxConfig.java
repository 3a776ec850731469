package com.fetchsms.common.outbox;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the transactional outbox relay ({@code fetchsms.outbox.*}). */
@ConfigMapping(prefix = "fetchsms.outbox")
public interface OutboxConfig {

    /**
     * The topics this service publishes to through its outbox (each a topic of {@code Topics.ALL}); absent: it
     * publishes none. An event for any other topic is refused when it is written ({@link Outbox#publish}), so the
     * service fails in its tests and on the local stack where, on Kubernetes, its Kafka user would be refused by the
     * broker: the manifests' ACLs are checked against this list (decision 0031). No default: each service says it in
     * its {@code application.properties}.
     */
    Optional<Set<String>> topics();

    /** Whether this replica relays outbox rows to Kafka (one replica at a time does, chosen by an advisory lock). */
    @WithDefault("true")
    boolean relayEnabled();

    /**
     * Safety-net poll, for rows left by a crash or written by a replica whose relay is disabled. Rows are normally
     * relayed at once: the writer wakes its replica's relay in-process when its transaction commits.
     */
    @WithDefault("1s")
    Duration pollInterval();

    /**
     * How soon a wake-up is retried when another replica held the relay lock; doubled on each retry that finds it
     * taken again, up to {@link #pollInterval()}.
     */
    @WithDefault("10ms")
    Duration contendedRetry();

    /** Rows published per relay transaction. */
    @WithDefault("200")
    int batchSize();

    /**
     * How many times the producer may refuse a row (a failure that is not the broker being unavailable: a record larger
     * than the broker accepts, an invalid topic, a payload that cannot be sent) before the row is parked: marked in
     * {@code outbox_event.parked_at}, skipped by later passes, counted by {@code fetchsms_outbox_parked} and logged at
     * ERROR, so the service's later events flow. Failures while the broker is unreachable never count.
     */
    @WithDefault("10")
    int maxAttempts();

    /**
     * How often the {@code fetchsms_outbox_pending} and {@code fetchsms_outbox_lag_seconds} gauges are refreshed from
     * the table (one reactive {@code count(*)}, with {@code fetchsms_outbox_parked}); the relay also zeroes them whenever it empties the table.
     */
    @WithDefault("5s")
    Duration metricsInterval();

    /** Arrival watermarks on {@code sms.inbound} (decision 0016). */
    ArrivalWatermark arrivalWatermark();

    /** {@code fetchsms.outbox.arrival-watermark.*}. */
    interface ArrivalWatermark {

        /**
         * Whether this service's relay sends {@code fetchsms.sms.arrival-watermark.v1} to every partition of
         * {@code sms.inbound}: only sms-ingest, the topic's one writer, does.
         */
        @WithDefault("false")
        boolean enabled();

        /** How often; a purchase's end is final up to about this much later than the pipeline allows. */
        @WithDefault("1s")
        Duration interval();
    }
}
