package com.fetchsms.webhook.messaging;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * The partitions this replica's consumers of the group {@code webhook-service} hold now (channel
 * {@code webhook-events}, {@code consumer-rebalance-listener.name}): kept up to date as the group assigns and revokes
 * them, so that this replica's stream listener leaves the events of those partitions to its own consumer group (which
 * appends them and hands them to the streams as fast), and writes only those another replica's consumer holds.
 */
@ApplicationScoped
@Default // also injected without the qualifier the connector looks it up by
@Identifier(OwnedPartitions.NAME)
public class OwnedPartitions implements KafkaConsumerRebalanceListener {

    static final String NAME = "webhook-events-partitions";

    private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        owned.addAll(partitions);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        owned.removeAll(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        owned.removeAll(partitions);
    }

    /** Whether one of this replica's consumers of the group holds the partition now. */
    public boolean owns(String topic, int partition) {
        return owned.contains(new TopicPartition(topic, partition));
    }
}
