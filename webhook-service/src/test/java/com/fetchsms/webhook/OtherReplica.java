package com.fetchsms.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;

import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.SharedKafkaBroker;

/**
 * Another replica's consumer in a consumer group, as far as the group can tell: a real member that takes its share of
 * the partitions, reads their records and never applies or commits them. Its client id sorts first, so the group's
 * range assignment gives it the first partition of each topic. Closing it leaves the group: its partitions go back to
 * the other members, which read them from the last committed offsets.
 */
final class OtherReplica implements AutoCloseable {

    private final AtomicReference<Set<TopicPartition>> assignment = new AtomicReference<>(Set.of());
    private final Thread poller;
    private volatile boolean closing;

    private OtherReplica(String group, List<String> topics) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "aaa-other-replica-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        poller = new Thread(() -> {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(topics);
                while (!closing) {
                    consumer.poll(Duration.ofMillis(100)); // read and dropped: never applied, never committed
                    assignment.set(Set.copyOf(consumer.assignment()));
                }
            }
        }, "other-replica");
        poller.setDaemon(true);
        poller.start();
    }

    /** Joins {@code group} on {@code topics}. */
    static OtherReplica join(String group, List<String> topics) {
        return new OtherReplica(group, topics);
    }

    /** Waits until the group gave this member a partition of {@code topic}; answers it. */
    int awaitPartition(String topic, Duration timeout) {
        return Awaitility.await("a partition of " + topic + " for the other replica").atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> assignment.get().stream().filter(tp -> tp.topic().equals(topic))
                        .mapToInt(TopicPartition::partition).min().orElse(-1), partition -> partition >= 0);
    }

    /** A purchase id whose records (keyed by it) the producer's default partitioner puts on {@code partition}. */
    static UUID keyOnPartition(String topic, int partition) {
        int partitions = KafkaEvents.partitions(topic);
        while (true) {
            UUID id = UUID.randomUUID();
            byte[] key = id.toString().getBytes(StandardCharsets.UTF_8);
            if (Utils.toPositive(Utils.murmur2(key)) % partitions == partition) {
                return id;
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            poller.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
