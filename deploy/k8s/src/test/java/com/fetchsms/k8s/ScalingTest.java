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

    /** Decision 0010: each replica allows requests-per-second / replicas, so the setting must be the replica count. */
    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void rateLimitedServicesDivideTheirLimitByTheirActualReplicaCountAndAreNotAutoscaled(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        int checked = 0;
        for (Platform.Service service : Platform.services()) {
            if (!Platform.rateLimited(service)) {
                continue;
            }
            checked++;
            String workload = Platform.workload(service);
            JsonNode deployment = rendered.get("Deployment", workload);
            Rendered.EnvValue replicasSetting = rendered.environment(container(deployment))
                    .get("FETCHSMS_RATE_LIMIT_REPLICAS");
            assertNotNull(replicasSetting, workload + " is rate limited but sets no FETCHSMS_RATE_LIMIT_REPLICAS");
            assertEquals(deployment.path("spec").path("replicas").asInt(1), Integer.parseInt(replicasSetting.value()),
                    workload + ": FETCHSMS_RATE_LIMIT_REPLICAS differs from spec.replicas");
            assertFalse(autoscalers(rendered).containsKey(workload),
                    workload + " is autoscaled, but its per-replica rate limit assumes a fixed replica count");
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

    @Test
    void prodRunsEveryWorkloadOnAtLeastTwoReplicasAndLeavesAutoscaledOnesToTheAutoscaler() {
        Rendered prod = Manifests.render(PROD);
        Map<String, JsonNode> hpas = autoscalers(prod);
        for (String workload : Platform.workloads()) {
            JsonNode deployment = prod.get("Deployment", workload);
            JsonNode hpa = hpas.get(workload);
            if (hpa != null) {
                assertTrue(hpa.path("spec").path("minReplicas").asInt(1) >= 2, workload + " minReplicas");
                assertTrue(deployment.path("spec").path("replicas").isMissingNode(),
                        workload + " sets spec.replicas, which every apply would reset under its autoscaler");
            } else {
                assertTrue(deployment.path("spec").path("replicas").asInt(1) >= 2, workload + " replicas");
            }
        }
        assertTrue(hpas.containsKey("gateway"), "the gateway is stateless: it should autoscale");
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
