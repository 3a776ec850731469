package com.fetchsms.common.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.annotation.Priority;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import com.fetchsms.common.events.Topics;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Creates the platform's topics at start where they are missing, with log compaction where the topic is compacted,
 * so a broker's auto-creation (which would make them non-compacted) never gets there first. Its admin client connects
 * as every other client of the service does ({@link KafkaClientProperties}). On Kubernetes the topics are declared as
 * Strimzi {@code KafkaTopic}s and this is switched off ({@code FETCHSMS_KAFKA_PROVISION_TOPICS=false}): no service's
 * Kafka user may create topics there (decision 0031).
 */
@ApplicationScoped
public class TopicProvisioner {

    private static final Logger LOG = Logger.getLogger(TopicProvisioner.class);

    /** {@code fetchsms.kafka.*} */
    @ConfigMapping(prefix = "fetchsms.kafka")
    public interface KafkaTopicsConfig {
        @WithDefault("true")
        boolean provisionTopics();

        @WithDefault("3")
        int partitions();

        @WithDefault("1")
        short replicationFactor();

        @WithDefault("15s")
        Duration timeout();
    }

    private final KafkaTopicsConfig config;
    private final KafkaClientProperties kafka;

    public TopicProvisioner(KafkaTopicsConfig config, KafkaClientProperties kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    /** Runs before the messaging channels connect (startup, on the main thread, where blocking is allowed). */
    void provision(@Observes @Priority(1) StartupEvent event) {
        if (!config.provisionTopics()) {
            return;
        }
        List<NewTopic> topics = new ArrayList<>();
        for (String name : Topics.ALL) {
            NewTopic topic = new NewTopic(name, config.partitions(), config.replicationFactor());
            if (Topics.COMPACTED.contains(name)) {
                topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            }
            topics.add(topic);
        }
        // the brokers, TLS and credentials of every other client of this service (kafka.*, KafkaClientProperties)
        try (Admin admin = Admin.create(kafka.admin(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) config.timeout().toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.timeout().toMillis())))) {
            admin.createTopics(topics).values().forEach((name, future) -> {
                try {
                    future.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        LOG.warnf("Could not create topic %s: %s", name, e.getCause().getMessage());
                    }
                } catch (Exception e) {
                    LOG.warnf("Could not create topic %s: %s", name, e.getMessage());
                }
            });
        }
    }
}
