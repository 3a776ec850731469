package com.fetchsms.k8s;

import static com.fetchsms.k8s.Manifests.DEV;
import static com.fetchsms.k8s.Manifests.PROD;
import static com.fetchsms.k8s.Rendered.container;
import static com.fetchsms.k8s.Rendered.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/** PostgreSQL through CloudNativePG: one cluster, a Database per service owned by the role the service logs in as. */
class PostgresTest {

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyServiceDatabaseHasACnpgDatabaseOwnedByTheRoleTheServiceLogsInAs(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        JsonNode cluster = rendered.ofKind("Cluster").get(0);
        Map<String, JsonNode> roles = new HashMap<>();
        cluster.path("spec").path("managed").path("roles").forEach(r -> roles.put(r.path("name").asText(), r));
        for (Platform.Service service : Platform.services()) {
            JsonNode database = rendered.ofKind("Database").stream()
                    .filter(d -> service.database().equals(d.path("spec").path("name").asText())).findFirst()
                    .orElse(null);
            assertNotNull(database, "No CloudNativePG Database for " + service.database());
            assertEquals(name(cluster), database.path("spec").path("cluster").path("name").asText());
            assertEquals("retain", database.path("spec").path("databaseReclaimPolicy").asText("retain"));
            String owner = database.path("spec").path("owner").asText();
            JsonNode role = roles.get(owner);
            assertNotNull(role, service.database() + " is owned by " + owner + ", not a managed role");
            assertEquals("present", role.path("ensure").asText());
            assertTrue(role.path("login").asBoolean(), owner + " cannot log in");
            String passwordSecret = role.path("passwordSecret").path("name").asText();
            var env = rendered.environment(container(rendered.get("Deployment", Platform.workload(service))));
            assertEquals(passwordSecret, env.get("QUARKUS_DATASOURCE_USERNAME").secretName(),
                    service.dir() + " logs in with another Secret than its role's");
            assertEquals(passwordSecret, env.get("QUARKUS_DATASOURCE_PASSWORD").secretName());
            rendered.find("Secret", passwordSecret).ifPresent(secret -> {
                assertEquals("kubernetes.io/basic-auth", secret.path("type").asText(), passwordSecret);
                assertEquals(owner, new String(Base64.getDecoder().decode(secret.path("data").path("username")
                        .asText()), StandardCharsets.UTF_8), passwordSecret + " names another role");
            });
        }
    }

    @Test
    void prodRunsThreeInstancesAndDevOne() {
        assertEquals(3, Manifests.render(PROD).ofKind("Cluster").get(0).path("spec").path("instances").asInt());
        assertEquals(1, Manifests.render(DEV).ofKind("Cluster").get(0).path("spec").path("instances").asInt());
    }

    /**
     * Every replica holds its reactive pool and its JDBC pool (Flyway): at the autoscalers' maxima the total must stay
     * below max_connections (less the superuser's reserved slots).
     */
    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void connectionsAtMaximumScaleFitInMaxConnections(String overlay) {
        Rendered prod = Manifests.render(overlay);
        Map<String, Integer> maxReplicas = new HashMap<>();
        prod.ofKind("HorizontalPodAutoscaler").forEach(h -> maxReplicas.put(
                h.path("spec").path("scaleTargetRef").path("name").asText(),
                h.path("spec").path("maxReplicas").asInt()));
        int total = 0;
        StringBuilder sum = new StringBuilder();
        for (Platform.Service service : Platform.services()) {
            String workload = Platform.workload(service);
            int replicas = maxReplicas.getOrDefault(workload,
                    prod.get("Deployment", workload).path("spec").path("replicas").asInt(1));
            Properties properties = Platform.applicationProperties(service.dir());
            int perReplica = Integer.parseInt(properties.getProperty("quarkus.datasource.reactive.max-size", "20"))
                    + Integer.parseInt(properties.getProperty("quarkus.datasource.jdbc.max-size", "20"));
            total += replicas * perReplica;
            sum.append(String.format(" %s %d×%d", workload, replicas, perReplica));
        }
        int max = Integer.parseInt(prod.ofKind("Cluster").get(0).path("spec").path("postgresql").path("parameters")
                .path("max_connections").asText("100"));
        assertTrue(total <= max - 10, overlay + ": connections at maximum scale " + total + " (" + sum.toString().trim()
                + ") exceed max_connections " + max + " less 10 reserved");
    }
}
