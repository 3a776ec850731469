package com.fetchsms.k8s;

import static com.fetchsms.k8s.Manifests.PROD;
import static com.fetchsms.k8s.Manifests.PROD_WITH_MONITORING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The schema validation can fail: real rendered objects, each with one deliberate mistake, are refused with the
 * field's path, while the same objects unchanged pass. So a green {@link ManifestSchemaTest} means something.
 */
class ManifestSchemaFailureTest {

    private final KubernetesSchemas schemas = KubernetesSchemas.load();

    @Test
    void aMisspeltFieldInADeploymentIsRefusedWhereTheUnchangedDeploymentPasses() {
        JsonNode deployment = Manifests.render(PROD).get("Deployment", "catalog-service");
        assertEquals(List.of(), schemas.validate(deployment).errors());

        ObjectNode broken = deployment.deepCopy();
        ((ObjectNode) broken.path("spec").path("template").path("spec").path("containers").get(0))
                .put("imagePullPolicyy", "Always");
        assertRefused(broken, KubernetesSchemas.Source.KUBERNETES_OPENAPI,
                "/spec/template/spec/containers/0", "imagePullPolicyy");
    }

    @Test
    void aWrongTypeInADeploymentIsRefused() {
        ObjectNode broken = Manifests.render(PROD).get("Deployment", "wallet-service").deepCopy();
        ((ObjectNode) broken.path("spec")).put("replicas", "three");
        assertRefused(broken, KubernetesSchemas.Source.KUBERNETES_OPENAPI, "/spec/replicas", "integer");
    }

    @Test
    void aMisspeltFieldInAKafkaTopicIsRefusedByStrimzisSchema() {
        JsonNode topic = Manifests.render(PROD).get("KafkaTopic", "api-key.changed");
        assertEquals(List.of(), schemas.validate(topic).errors());

        ObjectNode broken = topic.deepCopy();
        ((ObjectNode) broken.path("spec")).put("partitons", 24);
        assertRefused(broken, KubernetesSchemas.Source.STRIMZI_CRD, "/spec", "partitons");
    }

    @Test
    void aMisspeltFieldInThePodMonitorIsRefused() {
        JsonNode monitor = Manifests.render(PROD_WITH_MONITORING).ofKind("PodMonitor").get(0);
        assertEquals(List.of(), schemas.validate(monitor).errors());

        ObjectNode broken = monitor.deepCopy();
        ((ObjectNode) broken.path("spec").path("podMetricsEndpoints").get(0)).put("pathh", "/q/metrics");
        assertRefused(broken, KubernetesSchemas.Source.KUBERNETES_OPENAPI, "/spec/podMetricsEndpoints/0", "pathh");
    }

    @Test
    void intOrStringAndQuantitiesAcceptWhatTheApiServerAccepts() {
        ObjectNode pdb = Manifests.render(PROD).ofKind("PodDisruptionBudget").get(0).deepCopy();
        ((ObjectNode) pdb.path("spec")).put("maxUnavailable", "50%");
        assertEquals(List.of(), schemas.validate(pdb).errors());
        ((ObjectNode) pdb.path("spec")).put("maxUnavailable", 1);
        assertEquals(List.of(), schemas.validate(pdb).errors());
        ((ObjectNode) pdb.path("spec")).put("maxUnavailable", true);
        assertFalse(schemas.validate(pdb).errors().isEmpty(), "a boolean is no int-or-string");

        ObjectNode deployment = Manifests.render(PROD).get("Deployment", "gateway").deepCopy();
        ObjectNode limits = (ObjectNode) deployment.path("spec").path("template").path("spec").path("containers")
                .get(0).path("resources").path("limits");
        limits.put("cpu", 2);
        assertEquals(List.of(), schemas.validate(deployment).errors());
        limits.putObject("memory");
        assertFalse(schemas.validate(deployment).errors().isEmpty(), "an object is no quantity");
    }

    @Test
    void aKindWithoutAReachableSchemaIsReportedUnvalidatedNotPassed() {
        KubernetesSchemas.Result cluster = schemas.validate(Manifests.render(PROD).get("Cluster", "fetchsms-db"));
        assertFalse(cluster.validated());
        assertEquals(Optional.empty(), cluster.source());
    }

    private void assertRefused(JsonNode object, KubernetesSchemas.Source source, String path, String mention) {
        KubernetesSchemas.Result result = schemas.validate(object);
        assertEquals(Optional.of(source), result.source());
        assertTrue(result.errors().stream().anyMatch(e -> e.startsWith(path) && e.contains(mention)),
                "expected an error at " + path + " naming " + mention + ", got " + result.errors());
    }
}
