package com.fetchsms.k8s;

import static com.fetchsms.k8s.Manifests.DEV;
import static com.fetchsms.k8s.Manifests.PROD;
import static com.fetchsms.k8s.Rendered.container;
import static com.fetchsms.k8s.Rendered.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decision 0032 in the manifests, checked against the services' own settings: each service's static consumer group
 * members are named after its pod (POD_NAME from the downward API, which its application.properties reads), and the
 * probes follow the health rule (startup waits, bounded, for Kafka; readiness is the database; liveness nothing
 * outside the process) with a startup probe that outlasts the bounded wait for Kafka.
 */
class ProbesAndMembershipTest {

    private static final String INSTANCE_ID = "fetchsms.kafka.instance-id";

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyServiceNamesItsStaticGroupMembersAfterItsPod(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        for (Platform.Service service : Platform.services()) {
            JsonNode deployment = rendered.get("Deployment", Platform.workload(service));
            JsonNode podName = env(container(deployment), "POD_NAME");
            assertNotNull(podName, name(deployment) + " has no POD_NAME");
            assertEquals("metadata.name", podName.path("valueFrom").path("fieldRef").path("fieldPath").asText(),
                    name(deployment) + ": POD_NAME must be the pod's name (downward API)");
            Properties properties = Platform.applicationProperties(service.dir());
            assertEquals("${POD_NAME:}", properties.getProperty(INSTANCE_ID),
                    service.dir() + " must take " + INSTANCE_ID + " from POD_NAME");
            assertFalse(rendered.environment(container(deployment)).containsKey("FETCHSMS_KAFKA_INSTANCE_ID"),
                    name(deployment) + " overrides the instance id: two replicas would share it and fence each other");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void theStartupProbeOutlastsTheWaitForKafkaAndReadinessAndLivenessAreQuarkusOwn(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        for (Platform.Service service : Platform.services()) {
            JsonNode c = container(rendered.get("Deployment", Platform.workload(service)));
            String wait = Platform.applicationProperties(service.dir()).getProperty("fetchsms.kafka.startup-wait");
            assertNotNull(wait, service.dir() + " does not show fetchsms.kafka.startup-wait");
            Duration startupWait = Duration.parse("PT" + wait.trim().toUpperCase());
            JsonNode startup = c.path("startupProbe");
            Duration budget = Duration.ofSeconds(startup.path("periodSeconds").asLong(10)
                    * startup.path("failureThreshold").asLong(3));
            // the wait for Kafka, and at least as long again for Flyway's migrations before it
            assertTrue(budget.compareTo(startupWait.multipliedBy(2)) >= 0, service.dir() + ": the startup probe gives "
                    + budget + ", less than twice the startup wait " + startupWait
                    + ": a start during a broker outage would be killed");
            assertEquals("/q/health/started", startup.path("httpGet").path("path").asText());
            assertEquals("/q/health/ready", c.path("readinessProbe").path("httpGet").path("path").asText());
            assertEquals("/q/health/live", c.path("livenessProbe").path("httpGet").path("path").asText());
        }
    }

    private static JsonNode env(JsonNode container, String variable) {
        for (JsonNode var : container.path("env")) {
            if (variable.equals(var.path("name").asText())) {
                return var;
            }
        }
        return null;
    }
}
