package com.fetchsms.k8s;

import static com.fetchsms.k8s.Manifests.DEV;
import static com.fetchsms.k8s.Manifests.PROD;
import static com.fetchsms.k8s.Rendered.container;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/** Replicas, autoscaling and disruption budgets, checked against what makes scaling safe in the code. */
class ScalingTest {

    private static Map<String, JsonNode> autoscalers(Rendered rendered) {
        Map<String, JsonNode> byTarget = new HashMap<>();
        for (JsonNode hpa : rendered.ofKind("HorizontalPodAutoscaler")) {
            JsonNode target = hpa.path("spec").path("scaleTargetRef");
            assertEquals("Deployment", target.path("kind").asText());
            byTarget.put(target.path("name").asText(), hpa);
        }
        return byTarget;
    }

    private static int maxReplicas(Rendered rendered, String workload) {
        JsonNode hpa = autoscalers(rendered).get(workload);
        return hpa != null
                ? hpa.path("spec").path("maxReplicas").asInt()
                : rendered.get("Deployment", workload).path("spec").path("replicas").asInt(1);
    }

    /**
     * Decision 0030: the per-credential rate limit is one bucket per credential in the service's database, so no
     * workload is told its replica count, and every Deployment of prod is autoscaled (none keeps a fixed count).
     */
    @Test
    void everyDeploymentIsAutoscaledInProd() {
        Rendered prod = Manifests.render(PROD);
        Map<String, JsonNode> hpas = autoscalers(prod);
        for (JsonNode deployment : prod.ofKind("Deployment")) {
            String workload = deployment.path("metadata").path("name").asText();
            JsonNode hpa = hpas.get(workload);
            assertNotNull(hpa, workload + " has no HorizontalPodAutoscaler");
            JsonNode spec = hpa.path("spec");
            assertTrue(spec.path("minReplicas").asInt(1) >= 2, workload + " minReplicas");
            assertTrue(spec.path("maxReplicas").asInt() > spec.path("minReplicas").asInt(1),
                    workload + ": an autoscaler whose maximum is its minimum scales nothing");
            assertTrue(spec.path("metrics").findValues("averageUtilization").stream().anyMatch(JsonNode::isInt),
                    workload + " scales on no utilisation target");
            assertTrue(deployment.path("spec").path("replicas").isMissingNode(),
                    workload + " sets spec.replicas, which every apply would reset under its autoscaler");
        }
        assertEquals(Platform.workloads().size(), hpas.size(), "autoscalers of workloads that do not exist: " + hpas);
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void noRateLimitedServiceIsToldItsReplicaCount(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        int checked = 0;
        for (Platform.Service service : Platform.services()) {
            if (!Platform.rateLimited(service)) {
                continue;
            }
            checked++;
            String workload = Platform.workload(service);
            assertFalse(rendered.environment(container(rendered.get("Deployment", workload)))
                    .containsKey("FETCHSMS_RATE_LIMIT_REPLICAS"),
                    workload + " sets FETCHSMS_RATE_LIMIT_REPLICAS: the limit is shared by every replica (decision 0030)");
        }
        assertTrue(checked > 0, "no rate-limited service found (@RateLimited)");
    }

    @Test
    void everyRequestServingWorkloadHasADisruptionBudgetInProd() {
        Rendered prod = Manifests.render(PROD);
        for (String workload : Platform.workloads()) {
            JsonNode labels = Rendered.podLabels(prod.get("Deployment", workload));
            long budgets = prod.ofKind("PodDisruptionBudget").stream()
                    .filter(pdb -> Rendered.selects(pdb.path("spec").path("selector"), labels)).count();
            assertEquals(1, budgets, workload + " PodDisruptionBudgets");
        }
    }

    /** A drain never takes every pod of a workload: its budget lets fewer go than the autoscaler's minimum. */
    @Test
    void disruptionBudgetsLeaveEveryWorkloadServing() {
        Rendered prod = Manifests.render(PROD);
        Map<String, JsonNode> hpas = autoscalers(prod);
        for (JsonNode pdb : prod.ofKind("PodDisruptionBudget")) {
            JsonNode spec = pdb.path("spec");
            for (String workload : Platform.workloads()) {
                if (!Rendered.selects(spec.path("selector"), Rendered.podLabels(prod.get("Deployment", workload)))) {
                    continue;
                }
                int minReplicas = hpas.get(workload).path("spec").path("minReplicas").asInt(1);
                assertTrue(spec.path("maxUnavailable").isInt(), workload + ": budget as maxUnavailable");
                assertTrue(spec.path("maxUnavailable").asInt() < minReplicas,
                        workload + ": its budget lets every pod go at the autoscaler's minimum");
            }
        }
    }

    @Test
    void noConsumerGroupScalesBeyondThePartitionsOfTheTopicsItConsumes() {
        Rendered prod = Manifests.render(PROD);
        Map<String, Integer> partitions = new HashMap<>();
        prod.ofKind("KafkaTopic").forEach(t -> partitions.put(t.path("spec").path("topicName").asText(),
                t.path("spec").path("partitions").asInt()));
        for (Platform.Service service : Platform.services()) {
            // each replica runs `concurrency` Kafka consumers per channel
            int consumers = maxReplicas(prod, Platform.workload(service)) * Platform.consumerConcurrency(service);
            for (String topic : Platform.consumedTopics(service)) {
                assertNotNull(partitions.get(topic),
                        service.dir() + " consumes " + topic + ", which has no KafkaTopic");
                assertTrue(consumers <= partitions.get(topic), service.dir() + " may run " + consumers
                        + " consumers of " + topic + ", which has only " + partitions.get(topic) + " partitions");
            }
        }
    }
}
