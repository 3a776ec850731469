package com.fetchsms.k8s;

import static com.fetchsms.k8s.Manifests.PROD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.Topics;
import com.fetchsms.k8s.KafkaUsage.Acl;
import com.fetchsms.kafka.KafkaBroker;

/**
 * The prod render's KafkaUsers applied to a real Kafka broker (4.1, KRaft, {@code StandardAuthorizer}, SCRAM-SHA-512
 * logins), as Strimzi's User Operator applies them: each service's user produces with the outbox's settings (acks=all,
 * idempotent) and consumes as its channels do. What the manifests allow is what works, and the rest is refused by
 * the broker: a service cannot write a topic it does not own, nor read a topic or join a group that is not its own
 * (decision 0031). The listener here is SASL without TLS; TLS with the same logins is tested in platform/common-tests
 * ({@code KafkaClientSecurityTest}).
 */
class KafkaAclBrokerTest {

    private static final String LISTENER = "SASL";
    private static final String PASSWORD_PREFIX = "password-of-";

    private static KafkaBroker broker;
    private static Path dir;
    private static Map<String, Set<Acl>> users;
    private static Map<String, KafkaUsage> usage;
    private static List<String> topics;

    @BeforeAll
    static void brokerWithTheManifestsUsers() throws Exception {
        users = KafkaAclTest.userAcls(Manifests.render(PROD));
        usage = KafkaUsage.ofEveryService();
        Set<String> all = new LinkedHashSet<>(Topics.ALL);
        all.addAll(Platform.deadLetterTopics());
        topics = List.copyOf(all);

        dir = Files.createTempDirectory("fetchsms-kafka-acls-");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("auto.create.topics.enable", "false");
        settings.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // the PLAINTEXT listeners (this test's administration, the controller) are the only super user
        settings.put("super.users", "User:ANONYMOUS");
        settings.put("allow.everyone.if.no.acl.found", "false");
        settings.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        settings.put("listener.name." + LISTENER.toLowerCase() + ".scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        broker = KafkaBroker.start(0, dir, KafkaBroker.DEFAULT_JVM_OPTIONS, settings,
                List.of(new KafkaBroker.Listener(LISTENER, "SASL_PLAINTEXT", 0)));

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, 3, (short) 1)).toList()).all().get(30,
                    TimeUnit.SECONDS);
            List<UserScramCredentialUpsertion> logins = new ArrayList<>();
            List<AclBinding> bindings = new ArrayList<>();
            users.forEach((user, acls) -> {
                logins.add(new UserScramCredentialUpsertion(user,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), PASSWORD_PREFIX + user));
                acls.forEach(acl -> bindings.add(binding(user, acl)));
            });
            admin.alterUserScramCredentials(new ArrayList<>(logins)).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
        }
        // the logins and ACLs are in the broker's metadata once a user's client gets through
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String someone = users.keySet().iterator().next();
        while (true) {
            try (Admin admin = Admin.create(client(someone, Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                    5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000)))) {
                admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
                break;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    @AfterAll
    static void stopBroker() throws IOException {
        if (broker != null) {
            broker.close();
        }
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** As Strimzi's User Operator turns a KafkaUser's rule into a Kafka ACL (host *, allow). */
    private static AclBinding binding(String user, Acl acl) {
        ResourceType type = switch (acl.resourceType()) {
            case "topic" -> ResourceType.TOPIC;
            case "group" -> ResourceType.GROUP;
            default -> throw new AssertionError("a rule on a " + acl.resourceType());
        };
        PatternType pattern = "prefix".equals(acl.patternType()) ? PatternType.PREFIXED : PatternType.LITERAL;
        return new AclBinding(new ResourcePattern(type, acl.name(), pattern),
                new AccessControlEntry("User:" + user, "*", AclOperation.fromString(acl.operation()),
                        AclPermissionType.ALLOW));
    }

    private static Map<String, Object> client(String user, Map<String, Object> own) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + broker.port(LISTENER));
        settings.put("security.protocol", "SASL_PLAINTEXT");
        settings.put("sasl.mechanism", "SCRAM-SHA-512");
        settings.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + PASSWORD_PREFIX + user + "\";");
        settings.putAll(own);
        return settings;
    }

    @Test
    void eachServiceCanWriteExactlyTheTopicsItOwnsAndTheBrokerRefusesTheRest() {
        Map<String, Set<String>> writers = new HashMap<>();
        for (String service : usage.keySet()) {
            Set<String> written = new TreeSet<>();
            // the outbox relay's producer settings (platform/common's fetchsms-outbox channel)
            Map<String, Object> settings = client(service, Map.of(ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                    ProducerConfig.LINGER_MS_CONFIG, 0));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings, new StringSerializer(),
                    new StringSerializer())) {
                for (String topic : topics) {
                    try {
                        producer.send(new ProducerRecord<>(topic, "key", "{}")).get(20, TimeUnit.SECONDS);
                        written.add(topic);
                    } catch (Exception e) {
                        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                        assertInstanceOf(TopicAuthorizationException.class, cause,
                                service + " writing " + topic + ": " + cause);
                    }
                }
            }
            assertEquals(new TreeSet<>(usage.get(service).writes()), written, service + " wrote");
            written.forEach(topic -> writers.computeIfAbsent(topic, t -> new TreeSet<>()).add(service));
        }
        // the source of truth of API keys and sign-outs: wallet-service's alone
        assertEquals(Set.of("wallet-service"), writers.get(Topics.API_KEY_CHANGED));
    }

    @Test
    void eachServiceCanReadExactlyTheTopicsItConsumesAndTheBrokerRefusesTheRest() {
        for (String service : usage.keySet()) {
            Set<String> read = new TreeSet<>();
            Map<String, Object> settings = client(service, Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
            for (String topic : topics) {
                // by assignment, without a group, as the credential view reads
                try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                        new StringDeserializer())) {
                    List<TopicPartition> partitions = new ArrayList<>();
                    for (int p = 0; p < 3; p++) {
                        partitions.add(new TopicPartition(topic, p));
                    }
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    consumer.poll(Duration.ofMillis(300));
                    partitions.forEach(partition -> consumer.position(partition, Duration.ofSeconds(10)));
                    read.add(topic);
                } catch (TopicAuthorizationException refused) {
                    // not this service's topic
                }
            }
            assertEquals(new TreeSet<>(usage.get(service).reads()), read, service + " read");
        }
    }

    @Test
    void eachServiceCanJoinItsConsumerGroupsAndNoOtherServices() {
        for (String service : usage.keySet()) {
            KafkaUsage use = usage.get(service);
            String topic = use.reads().iterator().next();
            List<String> own = new ArrayList<>(use.groups());
            use.groupPrefixes().forEach(prefix -> own.add(prefix + UUID.randomUUID()));
            for (String group : own) {
                joinAndCommit(service, group, topic);
            }
            for (String other : usage.keySet()) {
                if (other.equals(service)) {
                    continue;
                }
                for (String group : usage.get(other).groups()) {
                    assertThrows(GroupAuthorizationException.class, () -> joinAndCommit(service, group, topic),
                            service + " joined " + other + "'s group " + group);
                }
            }
        }
    }

    /** Joins {@code group} subscribed to {@code topic}, waits for its partitions and commits its position. */
    private static void joinAndCommit(String user, String group, String topic) {
        Map<String, Object> settings = client(user, Map.of(ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.assignment().isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(user + " got no partition of " + topic + " in group " + group);
                }
                consumer.poll(Duration.ofMillis(200));
            }
            consumer.commitSync(Duration.ofSeconds(10));
        }
    }
}
