package com.fetchsms.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka floor: one record produced ({@code acks=all}, {@code linger.ms=0}) and consumed on the stack's own broker,
 * on a scratch topic the run creates and deletes. What no event-driven step of the platform can beat on this machine.
 */
final class KafkaFloor implements AutoCloseable {

    private final Admin admin;
    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<Long, CompletableFuture<Integer>> inFlight = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean running = true;
    private long run;

    KafkaFloor(String bootstrap) throws Exception {
        Properties common = new Properties();
        common.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        admin = Admin.create(common);
        topic = "bench.floor." + Long.toHexString(System.nanoTime());
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());

        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition);
        poller = new Thread(this::consume, "bench-kafka-floor");
        poller.setDaemon(true);
        poller.start();
    }

    /** A broker setting as the broker reports it (e.g. {@code log.flush.interval.messages}). */
    String brokerSetting(String name) {
        try {
            String id = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).iterator().next().idString();
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, id);
            Config config = admin.describeConfigs(Set.of(broker)).all().get(10, TimeUnit.SECONDS).get(broker);
            ConfigEntry entry = config.get(name);
            return entry == null ? "?" : entry.value() + (entry.isDefault() ? " (default)" : "");
        } catch (Exception e) {
            return "? (" + e + ")";
        }
    }

    /** One record at a time: produce, wait until consumed, next. */
    Samples oneAtATime(int count) {
        run++;
        Samples samples = new Samples(count);
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            samples.sent(i, start, start);
            int status;
            try {
                status = send(i).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                status = Samples.NO_ANSWER;
            }
            samples.finished(i, System.nanoTime(), status);
        }
        long end = System.nanoTime();
        samples.close(end, i -> end);
        return samples;
    }

    /** An open loop at {@code rate} records per second. */
    Samples atRate(double rate, double seconds, int maxInFlight, Duration drain) {
        run++;
        return Load.open(rate, Schedule.count(rate, seconds), maxInFlight, drain, (i, due) -> send(i));
    }

    private CompletableFuture<Integer> send(int i) {
        long id = run << 32 | i;
        CompletableFuture<Integer> consumed = new CompletableFuture<>();
        inFlight.put(id, consumed);
        producer.send(new ProducerRecord<>(topic, ByteBuffer.allocate(8).putLong(id).array()), (metadata, error) -> {
            if (error != null) {
                inFlight.remove(id);
                consumed.complete(Samples.IO_ERROR);
            }
        });
        return consumed;
    }

    private void consume() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    CompletableFuture<Integer> waiting = inFlight.remove(ByteBuffer.wrap(record.value()).getLong());
                    if (waiting != null) {
                        waiting.complete(200);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(2));
        producer.close(Duration.ofSeconds(2));
        try {
            admin.deleteTopics(List.of(topic)).all().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort: a scratch topic left behind holds a few kilobytes
        }
        admin.close(Duration.ofSeconds(2));
    }
}
