package com.fetchsms.common.messaging;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How this replica's Kafka consumers take part in their consumer groups, and how long a start waits for Kafka
 * ({@code fetchsms.kafka.*}, decision 0032).
 */
@ConfigMapping(prefix = "fetchsms.kafka")
public interface GroupMembershipConfig {

    /**
     * This replica's name in its durable consumer groups (on Kubernetes the pod's name, {@code POD_NAME} from the
     * downward API): each consumer of a durable group is the static member {@code <instance-id>-<channel>}
     * ({@code group.instance.id}), so a replica restarted in place gets its partitions back as soon as it is up, not
     * after the dead member's session. Unset: dynamic membership. Never the same for two live replicas.
     */
    Optional<String> instanceId();

    /**
     * {@code session.timeout.ms} of the durable groups' consumers: how long a member that stopped without leaving (a
     * crash, a lost node) keeps its partitions. Longer than a restart in place, so static members come back before
     * it ends; short enough that a replica gone for good hands its partitions on soon.
     */
    @WithDefault("30s")
    Duration sessionTimeout();

    /**
     * How long a start waits, at most, for what Kafka gives it (its consumers' first partitions, the API-key view's
     * replay) before the replica reports started anyway: during a broker outage it still serves its HTTP routes.
     */
    @WithDefault("60s")
    Duration startupWait();
}
