package com.fetchsms.common.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Singleton;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import io.smallrye.common.annotation.Identifier;

/**
 * The one place the settings of a Kafka client made by hand come from: the credential view's consumer
 * ({@code ApiKeyView}), the topic provisioner's admin client, and any other raw client. They are taken from the same
 * configuration the SmallRye Kafka connector gives its channels (the outbox producer, every {@code @Incoming}
 * consumer): Quarkus' {@code default-kafka-broker} map, i.e. every {@code kafka.*} property, from
 * {@code application.properties} or as a {@code KAFKA_*} environment variable ({@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SSL_TRUSTSTORE_LOCATION}, {@code KAFKA_SASL_JAAS_CONFIG}, …). So {@code bootstrap.servers},
 * {@code security.protocol}, {@code ssl.*}, {@code sasl.*} and anything else set there reach a raw client exactly as
 * they reach the channels; no raw client reads a single property itself (decision 0031).
 *
 * <p>
 * A setting that Kafka knows only for another kind of client is left out (the connector's default {@code group.id}
 * is no admin or producer setting); a setting Kafka does not know at all is kept, since it may be read by a plugin
 * the configuration names (e.g. Quarkus' {@code tls-configuration-name}, read by its SSL engine factory).
 */
@Singleton
public class KafkaClientProperties {

    /** The name of Quarkus' bean of the {@code kafka.*} configuration, which the connector's channels use. */
    public static final String DEFAULT_KAFKA_BROKER = "default-kafka-broker";

    private static final Set<String> ADMIN = AdminClientConfig.configNames();
    private static final Set<String> CONSUMER = ConsumerConfig.configNames();
    private static final Set<String> PRODUCER = ProducerConfig.configNames();

    private final Map<String, Object> configured;

    public KafkaClientProperties(@Identifier(DEFAULT_KAFKA_BROKER) Map<String, Object> configured) {
        this.configured = Map.copyOf(configured);
    }

    /** The settings of an admin client: the configured ones, then {@code own} (which win). */
    public Map<String, Object> admin(Map<String, ?> own) {
        return assemble(ADMIN, own);
    }

    /** The settings of a consumer: the configured ones, then {@code own} (which win). */
    public Map<String, Object> consumer(Map<String, ?> own) {
        return assemble(CONSUMER, own);
    }

    /** The settings of a producer: the configured ones, then {@code own} (which win). */
    public Map<String, Object> producer(Map<String, ?> own) {
        return assemble(PRODUCER, own);
    }

    private Map<String, Object> assemble(Set<String> known, Map<String, ?> own) {
        Map<String, Object> properties = new HashMap<>();
        configured.forEach((name, value) -> {
            boolean anotherClients = !known.contains(name)
                    && (ADMIN.contains(name) || CONSUMER.contains(name) || PRODUCER.contains(name));
            if (!anotherClients) {
                properties.put(name, value);
            }
        });
        properties.putAll(own);
        return properties;
    }
}
