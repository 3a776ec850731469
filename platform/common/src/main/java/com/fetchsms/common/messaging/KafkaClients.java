package com.fetchsms.common.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;

/**
 * Where this replica's Kafka clients stand (every consumer of every channel, the outbox's producer), read from the
 * clients' own metrics — nothing is asked of the broker, nothing blocks, any thread may call it. Published as the gauge
 * {@code fetchsms_kafka_connected} (1: every client has a broker connection; 0: at least one has none) and as the
 * {@code kafka} wellness check; the {@code kafka-consumers} startup check waits, bounded, for the consumers' first
 * partitions. Kafka trouble is a metric and an alert, never a failing readiness or liveness (decision 0032).
 */
@ApplicationScoped
public class KafkaClients {

    /** One client: its channel (a concurrent copy's {@code name$n}), its broker connections, its group's answer. */
    public record ClientState(String channel, boolean consumer, int connections, boolean everConnected,
            boolean joined, int assignedPartitions) {

        /**
         * Whether it can reach the broker: a connection open now. A producer that never needed the broker yet (no
         * connection ever made: nothing to send since the start) is not counted against it.
         */
        public boolean connected() {
            return connections > 0 || !consumer && !everConnected;
        }
    }

    private final KafkaClientService clients;
    private final MeterRegistry registry;
    private final Gauge gauge;

    public KafkaClients(KafkaClientService clients, MeterRegistry registry) {
        this.clients = clients;
        this.registry = registry;
        gauge = Gauge.builder("fetchsms.kafka.connected", this, k -> k.connected() ? 1 : 0).strongReference(true)
                .description("1 when every Kafka client of this replica (each channel's consumers, the outbox "
                        + "producer) has a broker connection, 0 when one has none")
                .register(registry);
    }

    /** Registers the gauge at start, not at the first use (the constructor does). */
    void started(@Observes StartupEvent event) {
        clients.getConsumerChannels();
    }

    /**
     * Takes the gauge away with the application: the registry Quarkus injects outlives an application restarted in the
     * same JVM (tests), and would keep reading this instance's clients, gone by then, instead of the next one's.
     */
    void stopped(@Observes ShutdownEvent event) {
        registry.remove(gauge);
    }

    /** Every client of the connector now, consumers first, by channel. */
    public List<ClientState> states() {
        List<ClientState> states = new ArrayList<>();
        for (String channel : new TreeSet<>(clients.getConsumerChannels())) {
            List<KafkaConsumer<Object, Object>> consumers = clients.getConsumers(channel);
            for (int i = 0; i < consumers.size(); i++) {
                Map<MetricName, ? extends Metric> metrics = consumers.get(i).unwrap().metrics();
                int synced = (int) value(metrics, "consumer-coordinator-metrics", "sync-total");
                int assigned = (int) value(metrics, "consumer-coordinator-metrics", "assigned-partitions");
                states.add(new ClientState(consumers.size() == 1 ? channel : channel + "-" + i, true,
                        (int) value(metrics, "consumer-metrics", "connection-count"),
                        value(metrics, "consumer-metrics", "connection-creation-total") > 0, synced > 0 || assigned > 0,
                        assigned));
            }
        }
        for (String channel : new TreeSet<>(clients.getProducerChannels())) {
            KafkaProducer<Object, Object> producer = clients.getProducer(channel);
            if (producer == null) {
                continue;
            }
            Map<MetricName, ? extends Metric> metrics = producer.unwrap().metrics();
            states.add(new ClientState(channel, false, (int) value(metrics, "producer-metrics", "connection-count"),
                    value(metrics, "producer-metrics", "connection-creation-total") > 0, false, 0));
        }
        return states;
    }

    /** Whether every client can reach the broker now. */
    public boolean connected() {
        return states().stream().allMatch(ClientState::connected);
    }

    /** Whether every consumer has been given its partitions (possibly none) by its group since the start. */
    public boolean consumersJoined() {
        return states().stream().filter(ClientState::consumer).allMatch(ClientState::joined);
    }

    /** A metric's value, 0 when the client does not have it (not yet, or closed). */
    private static double value(Map<MetricName, ? extends Metric> metrics, String group, String name) {
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            if (name.equals(entry.getKey().name()) && group.equals(entry.getKey().group())
                    && entry.getValue().metricValue() instanceof Number number) {
                double value = number.doubleValue();
                return Double.isNaN(value) ? 0 : value;
            }
        }
        return 0;
    }
}
