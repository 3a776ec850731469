package com.fetchsms.common.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Startup;

/**
 * {@code kafka-consumers} in {@code /q/health/started} (decision 0032): up once every Kafka consumer of this replica
 * has been given its partitions by its group since the start — the replica owns its work before Kubernetes counts it
 * started, so a rollout replaces the next pod only once this one consumes — or once {@code fetchsms.kafka.startup-wait}
 * has passed without, so a replica started during a broker outage still comes to serve its HTTP routes. It never goes
 * down again after that: Kafka is not part of readiness or liveness. Reads the clients' metrics; never blocks.
 */
@Startup
@ApplicationScoped
public class KafkaConsumersStartupCheck implements HealthCheck {

    private final KafkaClients clients;
    private final StartupWait wait;

    public KafkaConsumersStartupCheck(KafkaClients clients, StartupWait wait) {
        this.clients = clients;
        this.wait = wait;
    }

    @Override
    public HealthCheckResponse call() {
        boolean joined = clients.consumersJoined();
        boolean over = wait.over();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka-consumers").status(joined || over)
                .withData("joined", joined);
        if (!joined && over) {
            response.withData("gave up waiting after", wait.bound());
        }
        for (KafkaClients.ClientState client : clients.states()) {
            if (client.consumer()) {
                response.withData(client.channel(), client.joined()
                        ? client.assignedPartitions() + " partitions"
                        : "waiting for its group");
            }
        }
        return response.build();
    }
}
