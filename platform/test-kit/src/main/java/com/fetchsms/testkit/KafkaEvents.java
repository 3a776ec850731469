package com.fetchsms.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.events.EventPayload;
import com.fetchsms.common.events.EventType;
import com.fetchsms.common.json.JsonConventions;

/**
 * Reads and writes events on the shared test broker the way the services do (CloudEvents binary mode), so tests can
 * assert on what a service published and feed it what others would.
 */
public final class KafkaEvents {

    private static final ObjectMapper MAPPER = JsonConventions.apply(new ObjectMapper().findAndRegisterModules());

    /** A record as read back: CloudEvents attributes, key, JSON payload, and where it is on its topic. */
    public record Received(String topic, String key, String id, String type, String source, JsonNode data,
            Map<String, String> headers, int partition, long offset) {
    }

    private KafkaEvents() {
    }

    /** Publishes {@code payload} as the platform's outbox relay would; answers the event id. */
    public static String send(EventPayload payload) {
        return send(payload, UUID.randomUUID().toString());
    }

    /** Publishes {@code payload} with a chosen event id (to test redelivery). */
    public static String send(EventPayload payload, String eventId) {
        return send(payload, eventId, Map.of());
    }

    /**
     * Publishes {@code payload} with extra record headers, e.g. a {@code traceparent} as a traced producer would write
     * it.
     */
    public static String send(EventPayload payload, String eventId, Map<String, String> extraHeaders) {
        sendAll(List.of(new Outgoing(payload, eventId, extraHeaders)));
        return eventId;
    }

    /** An event to publish: its payload, its event id ({@code ce_id}) and extra record headers. */
    public record Outgoing(EventPayload payload, String eventId, Map<String, String> headers) {
        public Outgoing(EventPayload payload, String eventId) {
            this(payload, eventId, Map.of());
        }
    }

    /**
     * Publishes several events from one producer, in order, and waits for the broker's acknowledgement of all: they
     * reach a consumer together, usually in one poll (as a burst of the relay would).
     */
    public static void sendAll(List<Outgoing> events) {
        sendAll(SharedKafkaBroker.bootstrapServers(), events);
    }

    /** As {@link #send(EventPayload)}, to another broker than the shared one (e.g. {@link OwnBrokerTestResource}). */
    public static String sendTo(String bootstrapServers, EventPayload payload) {
        String eventId = UUID.randomUUID().toString();
        sendAll(bootstrapServers, List.of(new Outgoing(payload, eventId)));
        return eventId;
    }

    private static void sendAll(String bootstrapServers, List<Outgoing> events) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (Outgoing event : events) {
                EventType type = EventType.of(event.payload().getClass());
                ProducerRecord<String, String> record = new ProducerRecord<>(type.topic(), event.payload().key(),
                        MAPPER.writeValueAsString(event.payload()));
                record.headers().add("ce_specversion", bytes("1.0"));
                record.headers().add("ce_id", bytes(event.eventId()));
                record.headers().add("ce_type", bytes(type.type()));
                record.headers().add("ce_source", bytes("/fetchsms/test-kit"));
                record.headers().add("ce_time", bytes(Instant.now().toString()));
                record.headers().add("content-type", bytes("application/json"));
                event.headers().forEach((name, value) -> record.headers().add(name, bytes(value)));
                sent.add(producer.send(record));
            }
            for (java.util.concurrent.Future<?> future : sent) {
                future.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not publish " + events.size() + " events", e);
        }
    }

    /** Waits until a record of {@code topic} matches, reading the topic from its beginning. */
    public static Received await(String topic, Predicate<Received> match, Duration timeout) {
        return find(topic, match, timeout)
                .orElseThrow(() -> new AssertionError("No matching record on " + topic + " within " + timeout));
    }

    /** Every record of {@code topic} that matches, from its beginning up to its end when called. */
    public static List<Received> upToNow(String topic, Predicate<Received> match) {
        List<Received> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = fromBeginning(topic)) {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Could not read " + topic + " up to " + end);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                    Received received = toReceived(r);
                    if (match.test(received)) {
                        found.add(received);
                    }
                });
            }
        }
        return found;
    }

    /** How many partitions {@code topic} has. */
    public static int partitions(String topic) {
        try (KafkaConsumer<String, String> consumer = fromBeginning(topic)) {
            return consumer.assignment().size();
        }
    }

    public static Optional<Received> find(String topic, Predicate<Received> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = fromBeginning(topic)) {
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    Received received = toReceived(r);
                    if (match.test(received)) {
                        return Optional.of(received);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** A topic's effective configuration value, e.g. {@code cleanup.policy}. */
    public static String topicConfig(String topic, String key) {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", SharedKafkaBroker.bootstrapServers()))) {
            var resource = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
            return admin.describeConfigs(List.of(resource)).all().get().get(resource).get(key).value();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot describe topic " + topic, e);
        }
    }

    private static KafkaConsumer<String, String> fromBeginning(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (partitions.isEmpty() && System.nanoTime() < deadline) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos != null) {
                infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static Received toReceived(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(),
                    header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        JsonNode data;
        try {
            data = MAPPER.readTree(record.value());
        } catch (Exception e) {
            data = null;
        }
        return new Received(record.topic(), record.key(), headers.get("ce_id"), headers.get("ce_type"),
                headers.get("ce_source"), data, headers, record.partition(), record.offset());
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
