package com.fetchsms.k8s;

import static com.fetchsms.k8s.Manifests.DEV;
import static com.fetchsms.k8s.Manifests.PROD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fetchsms.common.events.Topics;

/**
 * What Kafka must never lose (decision 0033, base/kafka/topics.yaml): the compacted state topics keep every key's
 * newest record forever, event topics keep a week, dead letters a month, and no topic elects a replica that missed
 * acknowledged records.
 */
class KafkaRetentionTest {

    private static final Duration EVENTS = Duration.ofDays(7);
    private static final Duration DEAD_LETTERS = Duration.ofDays(30);

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void stateTopicsAreCompactedOnlyEventsKeptAWeekDeadLettersAMonthAndNoUncleanLeader(String overlay) {
        for (JsonNode topic : Manifests.render(overlay).ofKind("KafkaTopic")) {
            String name = topic.path("spec").path("topicName").asText();
            JsonNode config = topic.path("spec").path("config");
            assertFalse(config.path("unclean.leader.election.enable").asBoolean(true),
                    name + ": unclean.leader.election.enable must be false, said on the topic");
            if (Topics.COMPACTED.contains(name)) {
                assertEquals("compact", config.path("cleanup.policy").asText(), name + " may delete records");
                assertFalse(config.has("retention.ms") || config.has("retention.bytes"),
                        name + ": retention settings on a state topic invite compact,delete");
            } else {
                assertEquals("delete", config.path("cleanup.policy").asText("delete"), name);
                Duration retention = Duration.ofMillis(config.path("retention.ms").asLong(-1));
                Duration least = name.endsWith(".dead-letter") ? DEAD_LETTERS : EVENTS;
                assertTrue(retention.compareTo(least) >= 0, name + " keeps " + retention + ", less than " + least);
            }
        }
    }
}
