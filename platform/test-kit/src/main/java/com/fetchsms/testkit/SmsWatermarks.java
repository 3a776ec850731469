package com.fetchsms.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.events.EventType;
import com.fetchsms.common.events.SmsArrivalWatermark;
import com.fetchsms.common.json.JsonConventions;

/**
 * The arrival watermarks sms-ingest's relay would send on {@code sms.inbound} (decision 0016), for tests of the
 * services that consume SMS: their expiry makes a window or a term final only once every partition's watermark has
 * passed it. {@link #keepUp()} plays an idle sms-ingest (a watermark a second behind now, five times a second);
 * {@link #hold()} plays a pipeline that is away. Each send waits for the broker's acknowledgement, so a watermark sent
 * after an SMS ({@link KafkaEvents#send}) is behind it on its partition.
 */
public final class SmsWatermarks {

    private static final ObjectMapper MAPPER = JsonConventions.apply(new ObjectMapper().findAndRegisterModules());
    private static final Duration EVERY = Duration.ofMillis(200);
    private static final Duration BEHIND = Duration.ofSeconds(1);
    private static KafkaProducer<String, String> producer;
    private static Thread keeper;
    private static volatile int holds;

    private SmsWatermarks() {
    }

    /** Sends {@code acceptedBefore} to every partition of {@code sms.inbound}, acknowledged on return. */
    public static synchronized void advance(Instant acceptedBefore) {
        EventType type = EventType.SMS_ARRIVAL_WATERMARK;
        KafkaProducer<String, String> kafka = producer();
        int partitions = kafka.partitionsFor(type.topic()).size();
        List<Future<?>> sent = new ArrayList<>();
        try {
            for (int p = 0; p < partitions; p++) {
                SmsArrivalWatermark mark = SmsArrivalWatermark.of(acceptedBefore, p, partitions);
                ProducerRecord<String, String> record = new ProducerRecord<>(type.topic(), p, mark.key(),
                        MAPPER.writeValueAsString(mark));
                record.headers().add("ce_specversion", bytes("1.0"));
                record.headers().add("ce_id", bytes(UUID.randomUUID().toString()));
                record.headers().add("ce_type", bytes(type.type()));
                record.headers().add("ce_source", bytes("/fetchsms/test-kit"));
                record.headers().add("ce_time", bytes(Instant.now().toString()));
                record.headers().add("content-type", bytes("application/json"));
                sent.add(kafka.send(record));
            }
            for (Future<?> future : sent) {
                future.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not send arrival watermarks", e);
        }
    }

    /** From now on (once per JVM), keeps every partition's watermark a second behind now, unless {@link #hold held}. */
    public static synchronized void keepUp() {
        if (keeper != null) {
            return;
        }
        keeper = new Thread(() -> {
            while (true) {
                try {
                    if (holds == 0) {
                        advance(Instant.now().minus(BEHIND));
                    }
                    Thread.sleep(EVERY.toMillis());
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the broker is restarting or the topic not created yet: the next round retries
                }
            }
        }, "sms-watermarks");
        keeper.setDaemon(true);
        keeper.start();
    }

    /**
     * Stops {@link #keepUp()}'s watermarks until the answer is closed: as if sms-ingest, its relay or Kafka were away.
     */
    public static AutoCloseable hold() {
        synchronized (SmsWatermarks.class) {
            holds++;
        }
        return () -> {
            synchronized (SmsWatermarks.class) {
                holds--;
            }
        };
    }

    private static KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
