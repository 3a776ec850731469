package com.fetchsms.k8s;

import static com.fetchsms.k8s.Manifests.DEV;
import static com.fetchsms.k8s.Manifests.PROD;
import static com.fetchsms.k8s.Rendered.container;
import static com.fetchsms.k8s.Rendered.name;
import static com.fetchsms.k8s.Rendered.podSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/** The eight workloads (services, dashboard, gateway): what each Deployment must have to run well on Kubernetes. */
class WorkloadsTest {

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyWorkloadOfThePlatformIsDeployedWithItsServiceAndServiceAccount(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        assertEquals(new TreeSet<>(Platform.workloads()), new TreeSet<>(rendered.deployments().keySet()),
                "Deployments vs. the services of deploy/local/up plus the gateway");
        for (String workload : Platform.workloads()) {
            JsonNode deployment = rendered.get("Deployment", workload);
            JsonNode service = rendered.get("Service", workload);
            JsonNode selector = service.path("spec").path("selector");
            assertFalse(selector.isEmpty(), "Service " + workload + " has no selector");
            selector.properties().forEach(label -> assertEquals(label.getValue().asText(),
                    Rendered.podLabels(deployment).path(label.getKey()).asText(null),
                    "Service " + workload + " does not select its pods"));
            assertEquals("http", service.path("spec").path("ports").get(0).path("targetPort").asText());
            String account = podSpec(deployment).path("serviceAccountName").asText();
            assertEquals(workload, account, workload + " runs under its own ServiceAccount");
            assertFalse(rendered.get("ServiceAccount", account).path("automountServiceAccountToken").asBoolean(true),
                    "ServiceAccount " + account + " mounts an API token");
            assertFalse(podSpec(deployment).path("automountServiceAccountToken").asBoolean(true),
                    workload + " mounts an API token");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyDeploymentProbesQuarkusHealthOnItsHttpPort(String overlay) {
        for (JsonNode deployment : Manifests.render(overlay).ofKind("Deployment")) {
            JsonNode c = container(deployment);
            assertProbe(deployment, c.path("livenessProbe"), "/q/health/live");
            assertProbe(deployment, c.path("readinessProbe"), "/q/health/ready");
            assertProbe(deployment, c.path("startupProbe"), "/q/health/started");
        }
    }

    private static void assertProbe(JsonNode deployment, JsonNode probe, String path) {
        assertFalse(probe.isMissingNode(), name(deployment) + " has no probe on " + path);
        assertEquals(path, probe.path("httpGet").path("path").asText(), name(deployment));
        String port = probe.path("httpGet").path("port").asText();
        JsonNode c = container(deployment);
        boolean portExists = false;
        for (JsonNode p : c.path("ports")) {
            portExists |= port.equals(p.path("name").asText()) || port.equals(p.path("containerPort").asText());
        }
        assertTrue(portExists, name(deployment) + " probes port " + port + " which it does not declare");
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyContainerHasCpuAndMemoryRequestsAndLimits(String overlay) {
        for (JsonNode deployment : Manifests.render(overlay).ofKind("Deployment")) {
            for (JsonNode c : Rendered.containers(deployment)) {
                for (String kind : new String[]{"requests", "limits"}) {
                    for (String resource : new String[]{"cpu", "memory"}) {
                        assertFalse(c.path("resources").path(kind).path(resource).asText("").isBlank(),
                                name(deployment) + " has no " + resource + " " + kind);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyDeploymentDrainsItsEndpointsAndFinishesRequestsBeforeItIsKilled(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        for (JsonNode deployment : rendered.ofKind("Deployment")) {
            JsonNode c = container(deployment);
            int preStop = c.path("lifecycle").path("preStop").path("sleep").path("seconds").asInt(0);
            assertTrue(preStop > 0, name(deployment) + " has no preStop sleep");
            Rendered.EnvValue timeout = rendered.environment(c).get("QUARKUS_SHUTDOWN_TIMEOUT");
            assertNotNull(timeout, name(deployment) + " sets no QUARKUS_SHUTDOWN_TIMEOUT");
            long shutdown = Duration.parse("PT" + timeout.value().toUpperCase()).toSeconds();
            long grace = podSpec(deployment).path("terminationGracePeriodSeconds").asLong(30);
            assertTrue(preStop + shutdown < grace, name(deployment) + ": preStop " + preStop + " s + shutdown "
                    + shutdown + " s must end before terminationGracePeriodSeconds " + grace);
            JsonNode rolling = deployment.path("spec").path("strategy").path("rollingUpdate");
            assertEquals(0, rolling.path("maxUnavailable").asInt(-1), name(deployment) + " maxUnavailable");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyPodRunsAsNonRootOnAReadOnlyRootFilesystemWithoutCapabilities(String overlay) {
        for (JsonNode deployment : Manifests.render(overlay).ofKind("Deployment")) {
            JsonNode pod = podSpec(deployment).path("securityContext");
            assertTrue(pod.path("runAsNonRoot").asBoolean(), name(deployment) + " runAsNonRoot");
            assertEquals("RuntimeDefault", pod.path("seccompProfile").path("type").asText(), name(deployment));
            for (JsonNode c : Rendered.containers(deployment)) {
                JsonNode security = c.path("securityContext");
                assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), name(deployment) + " root fs");
                assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), name(deployment));
                assertEquals("[\"ALL\"]", security.path("capabilities").path("drop").toString(), name(deployment));
                boolean tmp = false;
                for (JsonNode mount : c.path("volumeMounts")) {
                    if ("/tmp".equals(mount.path("mountPath").asText())) {
                        String volume = mount.path("name").asText();
                        for (JsonNode v : podSpec(deployment).path("volumes")) {
                            tmp |= volume.equals(v.path("name").asText()) && v.has("emptyDir");
                        }
                    }
                }
                assertTrue(tmp, name(deployment) + " has no emptyDir on /tmp");
            }
        }
    }

    /** The image name the Quarkus build gives a module: parent pom properties, a module may override the name. */
    private static String builtImage(String moduleDir) {
        String parent = Platform.read(Manifests.repoRoot().resolve("pom.xml"));
        String module = Platform.read(Manifests.repoRoot().resolve(moduleDir).resolve("pom.xml"));
        String artifactId = property(module.replaceAll("(?s)<parent>.*?</parent>", ""), "artifactId");
        String group = property(parent, "quarkus.container-image.group");
        String name = property(module, "quarkus.container-image.name");
        if (name == null) {
            name = property(parent, "quarkus.container-image.name").replace("${project.artifactId}", artifactId);
        }
        String tag = property(parent, "quarkus.container-image.tag").replace("${project.version}",
                System.getProperty("fetchsms.project.version"));
        return group + "/" + name + ":" + tag;
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</").matcher(pom);
        return m.find() ? m.group(1).trim() : null;
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyWorkloadRunsTheImageItsModuleBuildsWithJib(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("gateway", "gateway");
        Platform.table().forEach(s -> modules.put(Platform.workload(s), s.dir()));
        modules.forEach((workload, dir) -> {
            String pom = Platform.read(Manifests.repoRoot().resolve(dir).resolve("pom.xml"));
            assertTrue(pom.contains("<artifactId>quarkus-container-image-jib</artifactId>"),
                    dir + " does not build a container image");
            String image = container(rendered.get("Deployment", workload)).path("image").asText();
            String built = builtImage(dir);
            assertTrue(image.equals(built) || image.endsWith("/" + built),
                    workload + " runs " + image + ", but " + dir + " builds " + built);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyServiceUsesItsOwnDatabaseThroughTheReadWriteService(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        String cluster = name(rendered.ofKind("Cluster").get(0));
        Set<String> databases = new TreeSet<>();
        for (Platform.Service service : Platform.services()) {
            Map<String, Rendered.EnvValue> env = rendered
                    .environment(container(rendered.get("Deployment", Platform.workload(service))));
            String hostAndDb = cluster + "-rw:5432/" + service.database();
            // Without its query (the TLS parameters, PostgresTlsAndBackupTest).
            assertEquals("jdbc:postgresql://" + hostAndDb,
                    env.get("QUARKUS_DATASOURCE_JDBC_URL").value().replaceFirst("\\?.*", ""), service.dir());
            assertEquals("postgresql://" + hostAndDb, env.get("QUARKUS_DATASOURCE_REACTIVE_URL").value(),
                    service.dir());
            assertTrue(env.get("QUARKUS_DATASOURCE_USERNAME").isSecret(), service.dir() + " username");
            assertTrue(env.get("QUARKUS_DATASOURCE_PASSWORD").isSecret(), service.dir() + " password");
            assertTrue(databases.add(service.database()), service.database() + " is shared");
        }
    }
}
