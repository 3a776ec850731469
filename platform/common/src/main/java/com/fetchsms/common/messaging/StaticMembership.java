package com.fetchsms.common.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.ClientCustomizer;

/**
 * Static membership of the durable consumer groups (decision 0032). Every Kafka client the connector creates passes
 * through here; a consumer of a <i>durable</i> group — one whose {@code group.id} is the same at every start, unlike
 * the per-start groups named after this start ({@code ${quarkus.uuid}}), which read from the end and need no id —
 * gets {@code session.timeout.ms} from {@code fetchsms.kafka.session-timeout} (unless its channel sets one) and, when
 * {@code fetchsms.kafka.instance-id} is set, the static member id {@code <instance-id>-<channel>}
 * ({@code group.instance.id}; a channel's concurrent copies {@code sms-inbound$1}… are {@code …-sms-inbound-1}…).
 *
 * <p>
 * A static member that comes back with its id after a crash (kill -9, an OOM kill: Kubernetes restarts the container
 * in the same pod, with the same name) takes its place and its partitions back at once, without a rebalance; a
 * dynamic one would wait for the dead member's session to end. A static member does not leave its group when it
 * closes, though, and a replica that stops cleanly (a rollout, a scale-in) does not come back under its name: so once
 * the connector has closed the consumers at shutdown, this removes this replica's static members from their groups
 * with the admin API, and their partitions move to the other replicas at once, as a dynamic member's would.
 */
@ApplicationScoped
public class StaticMembership implements ClientCustomizer<Map<String, Object>> {

    private static final Logger LOG = Logger.getLogger(StaticMembership.class);
    /** How long the shutdown waits, at most, for the broker to remove this replica's static members. */
    static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(5);
    /** Kafka's limit on a group instance id, and the characters it accepts. */
    private static final int MAX_ID_LENGTH = 249;

    /** One static member this replica runs: its group, its id, and how to reach the broker it joined. */
    record Member(String group, String instanceId, Map<String, Object> connection) {
    }

    private final GroupMembershipConfig config;
    private final String startId;
    private final Map<String, Member> members = new ConcurrentHashMap<>();

    /** The connector's kafka.* settings, under the channel's own, for the admin client that removes the members. */
    private final KafkaClientProperties kafka;

    public StaticMembership(GroupMembershipConfig config, KafkaClientProperties kafka,
            @ConfigProperty(name = "quarkus.uuid") String startId) {
        this.config = config;
        this.kafka = kafka;
        this.startId = startId;
    }

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> client) {
        Object group = client.get(ConsumerConfig.GROUP_ID_CONFIG);
        if (group == null || !client.containsKey(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG)
                || !durable(group.toString())) {
            return client;
        }
        client.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis());
        config.instanceId().filter(id -> !id.isBlank()).ifPresent(base -> {
            String id = instanceId(base, channel);
            client.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id);
            members.put(id, new Member(group.toString(), id, kafka.admin(connection(client))));
        });
        return client;
    }

    /** Whether the group is the same at every start (not named after this start). */
    boolean durable(String group) {
        return !group.contains(startId);
    }

    /** {@code <base>-<channel>}, with what Kafka does not accept in an instance id written as {@code -}. */
    static String instanceId(String base, String channel) {
        String id = (base + "-" + channel).replaceAll("[^a-zA-Z0-9._-]", "-");
        return id.length() > MAX_ID_LENGTH ? id.substring(id.length() - MAX_ID_LENGTH) : id;
    }

    /** The static members this replica runs (their ids), for operators and tests. */
    public List<String> instanceIds() {
        return List.copyOf(new java.util.TreeSet<>(members.keySet()));
    }

    /** Runs after the connector closed its consumers (its observer has priority 50). */
    void leave(
            @Observes(notifyObserver = Reception.IF_EXISTS) @Priority(100) @BeforeDestroyed(ApplicationScoped.class) Object event) {
        if (!members.isEmpty()) {
            leave(List.copyOf(members.values()));
        }
    }

    /**
     * Removes the members from their groups (blocking, at most {@link #LEAVE_TIMEOUT}); a member the broker no longer
     * knows (its session ended) is already gone. Never fails: a member that could not be removed keeps its partitions
     * until its session ends, as after a crash.
     */
    static void leave(List<Member> leaving) {
        Map<String, List<MemberToRemove>> byGroup = new LinkedHashMap<>();
        leaving.forEach(m -> byGroup.computeIfAbsent(m.group(), g -> new java.util.ArrayList<>())
                .add(new MemberToRemove(m.instanceId())));
        Map<String, Object> connection = new HashMap<>(leaving.get(0).connection());
        int timeout = (int) LEAVE_TIMEOUT.toMillis();
        connection.put(AdminClientConfig.CLIENT_ID_CONFIG, "fetchsms-static-membership");
        connection.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        connection.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        long deadline = System.nanoTime() + LEAVE_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(connection)) {
            byGroup.forEach((group, remove) -> {
                try {
                    admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions(remove))
                            .all().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    LOG.infof("Left consumer group %s (%d static members)", group, remove.size());
                } catch (ExecutionException e) {
                    LOG.infof("Consumer group %s: static members not removed (%s); their partitions move when their "
                            + "session ends", group, e.getCause().getMessage());
                } catch (TimeoutException e) {
                    LOG.warnf("Consumer group %s: the broker did not remove this replica's static members within %s; "
                            + "their partitions move when their session ends", group, LEAVE_TIMEOUT);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("Static members not removed (%s); their partitions move when their session ends",
                    e.getMessage());
        }
    }

    /** What an admin client needs of a consumer's settings to reach the same brokers the same way. */
    private static Map<String, Object> connection(Map<String, Object> client) {
        Map<String, Object> connection = new HashMap<>();
        client.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key) && value != null) {
                connection.put(key, value);
            }
        });
        return connection;
    }
}
