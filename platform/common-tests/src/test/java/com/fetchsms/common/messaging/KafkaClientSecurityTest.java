package com.fetchsms.common.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.events.ApiKeyChanged;
import com.fetchsms.common.events.EventType;
import com.fetchsms.common.events.InventoryNumberChanged;
import com.fetchsms.common.events.Topics;
import com.fetchsms.common.outbox.Outbox;
import com.fetchsms.common.security.ApiKeyView;
import com.fetchsms.common.security.ApiKeys;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The raw Kafka clients of fetchsms-common connect with the settings the connector's channels use (decision 0031):
 * the application is given only the broker's SASL_SSL listener (TLS with a CA of this run, SCRAM-SHA-512) in
 * {@code kafka.*}, and the topic provisioner's admin client, the credential view's consumer and the outbox relay's
 * producer all work through it. A client given less (no credentials, the wrong password, no CA, or only the
 * bootstrap address, which is all the raw clients used to read) is refused, each with its own error.
 */
@QuarkusTest
@WithTestResource(SecureBrokerResource.class)
class KafkaClientSecurityTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    ApiKeyView view;
    @Inject
    Outbox outbox;
    @Inject
    Pool pool;
    @Inject
    ObjectMapper mapper;

    @Test
    void theTopicProvisionerCreatesEveryTopicThroughTheTlsListenerWithItsLogin() throws Exception {
        // the broker creates no topic by itself: every topic of the platform, compacted where it must be, was made by
        // the provisioner's admin client at start, given the SASL_SSL listener only
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SecureBrokerResource.plaintextBootstrap()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(Topics.ALL).allTopicNames().get(30,
                    TimeUnit.SECONDS);
            assertEquals(Topics.ALL.size(), topics.size());
            ConfigResource keys = new ConfigResource(ConfigResource.Type.TOPIC, Topics.API_KEY_CHANGED);
            Config config = admin.describeConfigs(List.of(keys)).all().get(30, TimeUnit.SECONDS).get(keys);
            assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
        }
    }

    @Test
    void theCredentialViewReadsItsTopicThroughTheTlsListenerWithItsLogin() {
        await().atMost(Duration.ofSeconds(60)).until(view::fresh);
        String key = ApiKeys.generate();
        UUID keyId = UUID.randomUUID();
        UUID account = UUID.randomUUID();
        sendPlain(EventType.API_KEY_CHANGED, new ApiKeyChanged(ApiKeys.hash(key), keyId, account,
                ApiKeys.shownPrefix(key), ApiKeyChanged.ACTIVE, Instant.now()));

        await().atMost(PATIENCE).until(() -> known(key).isPresent());
        assertEquals(account, known(key).orElseThrow().accountId());
        assertTrue(known(key).orElseThrow().active());
    }

    @Test
    void theOutboxRelayPublishesThroughTheTlsListenerWithItsLogin() {
        String number = "+1332555" + String.format("%04d", (int) (Math.random() * 10_000));
        UUID id = pool.withTransaction(tx -> outbox.publish(tx, new InventoryNumberChanged(number, "332",
                UUID.randomUUID(), "available", Instant.now()))).await().indefinitely();

        ConsumerRecord<String, String> record = awaitPlain(Topics.INVENTORY_NUMBERS, id.toString());
        assertEquals(number, record.key());
        assertEquals(EventType.INVENTORY_NUMBER_CHANGED.type(), header(record, "ce_type"));
    }

    @Test
    void aClientWithoutTheLoginTheCaOrTlsIsRefusedEachWithItsOwnError() throws Exception {
        String user = SecureBrokerResource.USER;
        // what the application has: the listener takes it
        assertNotNull(describeCluster(SecureBrokerResource.clientSettings(user, SecureBrokerResource.password(),
                true)));

        Throwable wrongPassword = failure(SecureBrokerResource.clientSettings(user, "not-the-password", true));
        assertInstanceOf(SaslAuthenticationException.class, wrongPassword, wrongPassword.toString());

        Throwable untrusted = failure(SecureBrokerResource.clientSettings(user, SecureBrokerResource.password(),
                false));
        assertInstanceOf(SslAuthenticationException.class, untrusted, untrusted.toString());

        // only the bootstrap address, as the raw clients used to read it: plaintext against TLS never gets an answer
        Throwable plaintext = failure(Map.of("bootstrap.servers", SecureBrokerResource.secureBootstrap()));
        assertInstanceOf(TimeoutException.class, plaintext, plaintext.toString());

        // and without any login the client cannot even start a SASL connection
        Map<String, String> noLogin = new HashMap<>(SecureBrokerResource.clientSettings(user, "", true));
        noLogin.remove("sasl.jaas.config");
        Throwable missing = assertThrows(Exception.class, () -> describeCluster(noLogin));
        assertTrue(String.valueOf(rootCause(missing).getMessage()).contains("JAAS"), missing.toString());
    }

    /** The cluster id, asked by an admin client assembled from {@code configured} as the raw clients are. */
    private static String describeCluster(Map<String, String> configured) throws Exception {
        KafkaClientProperties properties = new KafkaClientProperties(new HashMap<>(configured));
        try (Admin admin = Admin.create(properties.admin(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000)))) {
            return admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS);
        }
    }

    private static Throwable failure(Map<String, String> configured) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> describeCluster(configured));
        return failed.getCause();
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private Optional<ApiKeyView.KeyState> known(String key) {
        return view.find(ApiKeys.hash(key)).await().atMost(PATIENCE);
    }

    /** Writes an event through the PLAINTEXT listener, as another service's relay would. */
    private void sendPlain(EventType type, Object payload) {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SecureBrokerResource.plaintextBootstrap(), ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>(type.topic(), UUID.randomUUID().toString(),
                    mapper.writeValueAsString(payload));
            record.headers().add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_type", type.type().getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_time", Instant.now().toString().getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not write to " + type.topic(), e);
        }
    }

    /** Reads {@code topic} through the PLAINTEXT listener until the record with this event id ({@code ce_id}). */
    private static ConsumerRecord<String, String> awaitPlain(String topic, String eventId) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SecureBrokerResource.plaintextBootstrap(), ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, PATIENCE).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (eventId.equals(header(record, "ce_id"))) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("The outbox's event " + eventId + " never reached " + topic);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
