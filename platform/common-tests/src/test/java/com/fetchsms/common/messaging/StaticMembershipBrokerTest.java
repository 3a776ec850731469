package com.fetchsms.common.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.SharedKafkaBroker;

/**
 * Static membership on a real broker, with the session timeout the services use (30 s): a member that stops without
 * leaving (as a process killed with kill -9, or any static member closing) keeps its partitions; coming back under its
 * id it has them again at once, and {@link StaticMembership#leave} (what a replica does at a clean shutdown) hands
 * them to the other members at once — both well within the session the broker would otherwise wait out.
 */
class StaticMembershipBrokerTest {

    private static final Duration SESSION = Duration.ofSeconds(30);
    /** Far below the session: what "at once" must mean here, rebalance and a loaded machine included. */
    private static final Duration AT_ONCE = Duration.ofSeconds(12);

    private String topic;
    private String group;
    private Member first;
    private Member second;

    @BeforeEach
    void twoStaticMembersShareTwoPartitions() throws Exception {
        topic = "static-membership-" + UUID.randomUUID();
        group = "static-membership-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafkaBroker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        first = new Member("replica-1-probe");
        second = new Member("replica-2-probe");
        await("both members hold a partition").atMost(Duration.ofSeconds(60))
                .until(() -> first.assigned().size() == 1 && second.assigned().size() == 1);
    }

    @AfterEach
    void close() {
        first.close();
        second.close();
    }

    @Test
    void aStaticMemberBackUnderItsIdHasItsPartitionBackWithoutWaitingForItsSession() {
        Set<TopicPartition> itsPartition = first.assigned();
        first.close(); // a static member does not leave its group: as if its process had been killed
        long back = System.nanoTime();
        first = new Member("replica-1-probe");
        await("the partition back").atMost(AT_ONCE).until(() -> first.assigned().equals(itsPartition));
        System.out.printf("static member back with its partition after %.1f s (session %d s)%n",
                (System.nanoTime() - back) / 1e9, SESSION.toSeconds());
        assertEquals(1, second.assigned().size(), "the other member kept its own");
    }

    @Test
    void aStaticMemberThatLeavesAtShutdownHandsItsPartitionToTheOthersAtOnce() {
        first.close();
        assertEquals(1, second.assigned().size(), "closing alone hands nothing on: the member stays in the group");
        StaticMembership.leave(List.of(new StaticMembership.Member(group, "replica-1-probe",
                Map.of("bootstrap.servers", SharedKafkaBroker.bootstrapServers()))));
        await("the other member holds both partitions").atMost(AT_ONCE)
                .until(() -> second.assigned().size() == 2);
    }

    /** A consumer polling in its own thread, as the connector runs one, with its current assignment. */
    private final class Member implements AutoCloseable {

        private final Thread thread;
        private volatile Set<TopicPartition> assigned = Set.of();
        private volatile boolean running = true;

        Member(String instanceId) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION.toMillis());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                    new StringDeserializer());
            thread = new Thread(() -> {
                try (consumer) {
                    consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                        @Override
                        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                            assigned = Set.of();
                        }

                        @Override
                        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                            assigned = Set.copyOf(consumer.assignment());
                        }
                    });
                    while (running) {
                        consumer.poll(Duration.ofMillis(100));
                    }
                }
            }, "static-member-" + instanceId);
            thread.start();
        }

        Set<TopicPartition> assigned() {
            return assigned;
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertTrue(!thread.isAlive(), "the consumer did not close");
        }
    }
}
