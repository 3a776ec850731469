package com.fetchsms.k8s;

import static com.fetchsms.k8s.Manifests.DEV;
import static com.fetchsms.k8s.Manifests.PROD;
import static com.fetchsms.k8s.Rendered.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fetchsms.common.events.Topics;

/** Kafka through Strimzi: the cluster, and a KafkaTopic for every topic the code uses. */
class KafkaTest {

    private static Map<String, JsonNode> topics(Rendered rendered) {
        Map<String, JsonNode> byTopic = new LinkedHashMap<>();
        for (JsonNode topic : rendered.ofKind("KafkaTopic")) {
            String topicName = topic.path("spec").path("topicName").asText(name(topic));
            byTopic.put(topicName, topic);
        }
        return byTopic;
    }

    @Test
    void everyPlatformTopicHasAKafkaTopicWithThreeReplicasAndMinInsyncTwoInProd() {
        Map<String, JsonNode> topics = topics(Manifests.render(PROD));
        for (String topic : Topics.ALL) {
            JsonNode spec = topics.get(topic) == null ? null : topics.get(topic).path("spec");
            assertTrue(spec != null, "No KafkaTopic for " + topic);
            assertEquals(3, spec.path("replicas").asInt(), topic + " replicas");
            assertEquals("2", spec.path("config").path("min.insync.replicas").asText(), topic + " min.insync.replicas");
            assertTrue(spec.path("partitions").asInt() >= 1, topic + " partitions");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void topicsAreCompactedExactlyWhereTopicsSaysSo(String overlay) {
        topics(Manifests.render(overlay)).forEach((topic, resource) -> {
            String policy = resource.path("spec").path("config").path("cleanup.policy").asText("delete");
            assertEquals(Topics.COMPACTED.contains(topic), policy.contains("compact"),
                    topic + " has cleanup.policy " + policy);
        });
    }

    @Test
    void everyDeadLetterTopicAServiceUsesHasAKafkaTopic() {
        Set<String> deadLetters = Platform.deadLetterTopics();
        assertFalse(deadLetters.isEmpty(), "no service declares a dead-letter topic");
        Map<String, JsonNode> topics = topics(Manifests.render(PROD));
        for (String topic : deadLetters) {
            assertTrue(topics.containsKey(topic), "No KafkaTopic for the dead-letter topic " + topic);
            assertEquals(3, topics.get(topic).path("spec").path("replicas").asInt(), topic + " replicas");
        }
    }

    @Test
    void everyKafkaTopicIsOneTheCodeUses() {
        Set<String> known = new LinkedHashSet<>(Topics.ALL);
        known.addAll(Platform.deadLetterTopics());
        for (String topic : topics(Manifests.render(PROD)).keySet()) {
            assertTrue(known.contains(topic), topic + " is neither in Topics.ALL nor a service's dead-letter topic");
        }
    }

    @Test
    void prodRunsThreeKafkaNodesThatNeverAutoCreateTopics() {
        Rendered prod = Manifests.render(PROD);
        JsonNode kafka = prod.ofKind("Kafka").get(0);
        int nodes = prod.ofKind("KafkaNodePool").stream()
                .filter(pool -> name(kafka).equals(pool.path("metadata").path("labels").path("strimzi.io/cluster")
                        .asText()))
                .filter(pool -> pool.path("spec").path("roles").toString().contains("broker"))
                .mapToInt(pool -> pool.path("spec").path("replicas").asInt()).sum();
        assertEquals(3, nodes, "brokers in prod");
        JsonNode config = kafka.path("spec").path("kafka").path("config");
        assertEquals("false", config.path("auto.create.topics.enable").asText());
        assertEquals("2", config.path("min.insync.replicas").asText());
        assertEquals("3", config.path("default.replication.factor").asText());
        assertEquals("3", config.path("offsets.topic.replication.factor").asText());
    }

    @Test
    void devRunsOneKafkaNodeAndReplicatesEveryTopicOnce() {
        Rendered dev = Manifests.render(DEV);
        assertEquals(1, dev.ofKind("KafkaNodePool").stream().mapToInt(p -> p.path("spec").path("replicas").asInt())
                .sum());
        topics(dev).forEach((topic, resource) -> {
            assertEquals(1, resource.path("spec").path("replicas").asInt(), topic + " replicas");
            assertEquals("1", resource.path("spec").path("config").path("min.insync.replicas").asText(), topic);
        });
        assertEquals("1", dev.ofKind("Kafka").get(0).path("spec").path("kafka").path("config")
                .path("offsets.topic.replication.factor").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void servicesUseTheStrimziBootstrapAndLeaveTopicsToTheTopicOperator(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        String kafka = name(rendered.ofKind("Kafka").get(0));
        assertTrue(rendered.ofKind("Kafka").get(0).path("spec").path("entityOperator").has("topicOperator"),
                "the Topic Operator must reconcile the KafkaTopics");
        for (Platform.Service service : Platform.services()) {
            JsonNode container = Rendered.container(rendered.get("Deployment", Platform.workload(service)));
            var env = rendered.environment(container);
            assertEquals("false", env.get("FETCHSMS_KAFKA_PROVISION_TOPICS").value(),
                    service.dir() + " would create topics itself");
            assertEquals(kafka + "-kafka-bootstrap:" + KafkaTlsTest.servicesPort(rendered),
                    env.get("KAFKA_BOOTSTRAP_SERVERS").value(), service.dir());
        }
    }
}
