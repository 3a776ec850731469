package com.fetchsms.common.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.smallrye.health.api.Wellness;

/**
 * {@code kafka} in {@code /q/health/well} (decision 0032): down while one of this replica's Kafka clients has no
 * broker connection, each client's state as data — what the gauge {@code fetchsms_kafka_connected} says, for a person
 * with curl. A wellness check is read by no probe: a broker outage never takes a replica out of service (its HTTP
 * routes keep working; events wait in the outbox). Reads the clients' metrics; never blocks.
 */
@Wellness
@ApplicationScoped
public class KafkaWellnessCheck implements HealthCheck {

    private final KafkaClients clients;

    public KafkaWellnessCheck(KafkaClients clients) {
        this.clients = clients;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka").up();
        for (KafkaClients.ClientState client : clients.states()) {
            response.withData(client.channel(), client.connected()
                    ? client.connections() + " broker connections"
                    : "no broker connection");
            if (!client.connected()) {
                response.down();
            }
        }
        return response.build();
    }
}
