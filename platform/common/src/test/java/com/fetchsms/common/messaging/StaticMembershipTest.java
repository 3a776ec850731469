package com.fetchsms.common.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Which consumers the connector creates become static members, under which id and session timeout. */
class StaticMembershipTest {

    private static final String START = "6c1f2b8e-6a35-4d0c-9d53-3f0a4f2e9b11";

    @Test
    void aDurableGroupsConsumerBecomesTheStaticMemberOfThisReplicaAndChannel() {
        Map<String, Object> client = customize("pod-7f9c-x2x7k", consumer("verification-service"), "sms-inbound$2");
        assertEquals("pod-7f9c-x2x7k-sms-inbound-2", client.get("group.instance.id"));
        assertEquals(30_000, client.get("session.timeout.ms"));
    }

    @Test
    void aPerStartGroupNamedAfterThisStartGetsNoStaticIdNorSessionTimeout() {
        Map<String, Object> client = customize("pod-1", consumer("verification-service-watch-" + START),
                "purchase-changes");
        assertFalse(client.containsKey("group.instance.id"));
        assertFalse(client.containsKey("session.timeout.ms"));
    }

    @Test
    void withoutAnInstanceIdADurableGroupStaysDynamicButGetsItsSessionTimeout() {
        Map<String, Object> client = customize(null, consumer("wallet-service"), "purchase-refunds$1");
        assertFalse(client.containsKey("group.instance.id"));
        assertEquals(30_000, client.get("session.timeout.ms"));
    }

    @Test
    void aChannelsOwnSessionTimeoutIsKept() {
        Map<String, Object> own = consumer("catalog-service");
        own.put("session.timeout.ms", "12000");
        assertEquals("12000", customize("pod-1", own, "purchase-outcomes$1").get("session.timeout.ms"));
    }

    @Test
    void producersAreLeftAlone() {
        Map<String, Object> producer = new HashMap<>(Map.of("bootstrap.servers", "kafka:9092",
                "value.serializer", "org.apache.kafka.common.serialization.StringSerializer"));
        assertEquals(producer, customize("pod-1", new HashMap<>(producer), "fetchsms-outbox"));
    }

    @Test
    void anInstanceIdHoldsOnlyWhatKafkaAcceptsAndFitsItsLimit() {
        assertEquals("a-b.c_d-ch-1", StaticMembership.instanceId("a/b.c_d", "ch$1"));
        String id = StaticMembership.instanceId("p".repeat(300), "sms-inbound$3");
        assertEquals(249, id.length());
        assertTrue(id.endsWith("-sms-inbound-3"), "the channel part is kept: " + id);
    }

    private static Map<String, Object> consumer(String group) {
        return new HashMap<>(Map.of("bootstrap.servers", "kafka:9092", "group.id", group, "value.deserializer",
                "org.apache.kafka.common.serialization.StringDeserializer"));
    }

    private static Map<String, Object> customize(String instanceId, Map<String, Object> client, String channel) {
        StaticMembership membership = new StaticMembership(config(instanceId), new KafkaClientProperties(Map.of()),
                START);
        Map<String, Object> customized = membership.customize(channel, null, client);
        if (customized.containsKey("group.instance.id")) {
            assertEquals(List.of(customized.get("group.instance.id")), membership.instanceIds());
        }
        return customized;
    }

    private static GroupMembershipConfig config(String instanceId) {
        return new GroupMembershipConfig() {
            @Override
            public Optional<String> instanceId() {
                return Optional.ofNullable(instanceId);
            }

            @Override
            public Duration sessionTimeout() {
                return Duration.ofSeconds(30);
            }

            @Override
            public Duration startupWait() {
                return Duration.ofSeconds(60);
            }
        };
    }
}
