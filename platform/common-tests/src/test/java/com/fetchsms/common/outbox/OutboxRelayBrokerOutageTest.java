package com.fetchsms.common.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.InventoryNumberChanged;
import com.fetchsms.common.events.Topics;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A broker outage: events committed while the only broker is down stay in the outbox through the relay's failed passes
 * (never counted as refusals, never parked) and are published, once each and in their order, when it is back. The
 * application runs on a broker of its own ({@link OwnBrokerResource}), which this test stops and starts again.
 */
@QuarkusTest
@WithTestResource(OwnBrokerResource.class)
class OutboxRelayBrokerOutageTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** The producer gives up on a record after this (OwnBrokerResource): a pass during the outage fails within it. */
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(3);

    @Inject
    Pool pool;
    @Inject
    Outbox outbox;
    @Inject
    MeterRegistry registry;

    @Test
    void eventsCommittedWhileTheBrokerIsDownSurviveItsFailedPassesAndArePublishedInOrderOnceItIsBack() {
        String number = "+1555" + String.format("%07d", (int) (Math.random() * 10_000_000));
        // the relay works: an event before the outage is published
        UUID before = publish(number, "before");
        await().atMost(PATIENCE).until(() -> idsOnTopic(number).contains(before.toString()));
        double refusedBefore = registry.get("fetchsms.outbox.refused").counter().count();

        OwnBrokerResource.stopBroker();
        List<UUID> during = new ArrayList<>();
        try {
            during.add(publish(number, "during-1"));
            during.add(publish(number, "during-2"));
            // the outage lasts past two of the producer's delivery timeouts (a clock that must pass: the outage is the
            // scenario), so passes have tried and failed; both rows are still in the outbox
            await().atMost(PATIENCE).until(() -> waitedSeconds(during.get(0)) >= 2 * DELIVERY_TIMEOUT.toSeconds());
            assertEquals(2, outboxRows(during), "nothing of the outage was lost");
            for (UUID id : during) {
                Row row = pool.preparedQuery("SELECT attempts, parked_at FROM outbox_event WHERE id = $1")
                        .execute(Tuple.of(id)).await().indefinitely().iterator().next();
                assertEquals(0, row.getInteger("attempts"), "an unavailable broker is not a refusal of the row");
                assertNull(row.getValue("parked_at"));
            }
            assertEquals(refusedBefore, registry.get("fetchsms.outbox.refused").counter().count());
        } finally {
            OwnBrokerResource.restartBroker();
        }

        await().atMost(PATIENCE).until(() -> outboxRows(during) == 0);
        List<String> published = idsOnTopic(number);
        assertEquals(List.of(before.toString(), during.get(0).toString(), during.get(1).toString()), published,
                "each once, in commit order");
    }

    private UUID publish(String number, String state) {
        return pool.withTransaction(tx -> outbox.publish(tx,
                new InventoryNumberChanged(number, "555", UUID.randomUUID(), state, Instant.now())))
                .await().indefinitely();
    }

    /** How long the row has waited in the outbox, by the database's clock. */
    private double waitedSeconds(UUID id) {
        return pool.preparedQuery("SELECT extract(epoch FROM now() - occurred_at) FROM outbox_event WHERE id = $1")
                .execute(Tuple.of(id)).await().indefinitely().iterator().next().getDouble(0);
    }

    private long outboxRows(List<UUID> ids) {
        return pool.preparedQuery("SELECT count(*) FROM outbox_event WHERE id = ANY($1)")
                .execute(Tuple.tuple().addArrayOfUUID(ids.toArray(UUID[]::new))).await().indefinitely().iterator()
                .next().getLong(0);
    }

    /** The event ids of the number's records on the own broker's topic, from its beginning up to its end now. */
    private static List<String> idsOnTopic(String number) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, OwnBrokerResource.brokerAddress());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.INVENTORY_NUMBERS, Duration.ofSeconds(10))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    Header id = record.headers().lastHeader("ce_id");
                    if (number.equals(record.key()) && id != null) {
                        ids.add(new String(id.value(), StandardCharsets.UTF_8));
                    }
                }
                return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            });
        }
        return ids;
    }
}
