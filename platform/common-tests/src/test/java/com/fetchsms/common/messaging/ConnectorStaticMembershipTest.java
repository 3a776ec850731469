package com.fetchsms.common.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.SharedKafkaBroker;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The connector's consumers as the broker sees them: the probe channel's consumer (group {@code common-tests}, durable)
 * joined as the static member named after {@code fetchsms.kafka.instance-id} and its channel.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class ConnectorStaticMembershipTest {

    @Inject
    StaticMembership membership;

    @Test
    void theDurableGroupsConsumerJoinedAsTheStaticMemberOfThisReplicaAndChannel() throws Exception {
        assertEquals(List.of("common-tests-replica-probe"), membership.instanceIds());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafkaBroker.bootstrapServers()))) {
            ConsumerGroupDescription group = await("the probe consumer in its group").atMost(Duration.ofSeconds(60))
                    .until(() -> admin.describeConsumerGroups(List.of("common-tests")).all()
                            .get(10, TimeUnit.SECONDS).get("common-tests"), g -> !g.members().isEmpty());
            assertEquals(List.of("common-tests-replica-probe"), group.members().stream()
                    .map(MemberDescription::groupInstanceId).map(id -> id.orElse("(dynamic)")).toList());
        }
    }
}
