package com.fetchsms.k8s;

import static com.fetchsms.k8s.Manifests.DEV;
import static com.fetchsms.k8s.Manifests.PROD;
import static com.fetchsms.k8s.Manifests.PROD_WITH_MONITORING;
import static com.fetchsms.k8s.Rendered.container;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The dashboard's health page on Kubernetes: with the monitoring component it asks Prometheus in namespace
 * {@code monitoring} (its address in the dashboard's environment, a NetworkPolicy letting it reach Prometheus' pods on
 * that port and nothing else outside the namespace), and the PodMonitor labels the series as the dashboard's defaults
 * expect; without the component the page is unconfigured.
 */
class HealthPageSourceTest {

    private static final String URL = "FETCHSMS_DASHBOARD_HEALTH_PROMETHEUS_URL";

    private static Map<String, Rendered.EnvValue> dashboardEnvironment(Rendered rendered) {
        return rendered.environment(container(rendered.get("Deployment", "dashboard")));
    }

    /** The peers outside the namespace the dashboard's pods may open connections to, as "namespace/pod:port". */
    private static Set<String> egressOutsideTheNamespace(Rendered rendered) {
        JsonNode dashboard = Rendered.podLabels(rendered.get("Deployment", "dashboard"));
        Set<String> peers = new TreeSet<>();
        for (JsonNode policy : rendered.ofKind("NetworkPolicy")) {
            if (!Rendered.selects(policy.path("spec").path("podSelector"), dashboard)) {
                continue;
            }
            for (JsonNode rule : policy.path("spec").path("egress")) {
                for (JsonNode peer : rule.path("to")) {
                    if (peer.has("namespaceSelector") || peer.has("ipBlock")) {
                        String namespace = peer.path("namespaceSelector").path("matchLabels")
                                .path("kubernetes.io/metadata.name").asText("*");
                        String pod = peer.path("podSelector").path("matchLabels").path("app.kubernetes.io/name")
                                .asText("*");
                        List<String> ports = new ArrayList<>();
                        rule.path("ports").forEach(p -> ports.add(p.path("port").asText()));
                        peers.add(namespace + "/" + pod + ":" + (ports.isEmpty() ? "*" : String.join(",", ports)));
                    }
                }
            }
        }
        return peers;
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void withoutTheMonitoringComponentTheHealthPageIsUnconfigured(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        Map<String, Rendered.EnvValue> env = dashboardEnvironment(rendered);
        assertNull(env.get(URL), "the dashboard asks a Prometheus that is not there");
        env.keySet().forEach(name -> assertFalse(name.startsWith("FETCHSMS_DASHBOARD_HEALTH_SERVICES_"),
                name + ": fixed process addresses miss the replicas"));
        Set<String> outside = egressOutsideTheNamespace(rendered);
        outside.removeIf(peer -> peer.startsWith("kube-system/"));
        assertEquals(Set.of(), outside, "the dashboard reaches outside the namespace");
    }

    @Test
    void withTheMonitoringComponentTheDashboardAsksPrometheusAndMayReachItOnly() {
        Rendered rendered = Manifests.render(PROD_WITH_MONITORING);
        Rendered.EnvValue url = dashboardEnvironment(rendered).get(URL);
        assertNotNull(url, "the monitoring component does not point the dashboard at Prometheus");
        URI uri = URI.create(url.value());
        String[] host = uri.getHost().split("\\.");
        assertEquals("http", uri.getScheme());
        assertTrue(host.length >= 2, url.value() + " names no namespace");
        String namespace = host[1];
        assertEquals("monitoring", namespace, url.value());
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        Set<String> outside = egressOutsideTheNamespace(rendered);
        outside.removeIf(peer -> peer.startsWith("kube-system/"));
        assertEquals(Set.of(namespace + "/prometheus:" + port), outside,
                "the dashboard may reach Prometheus' pods on its port, nothing else outside the namespace");
    }

    /**
     * The dashboard's defaults pick the series by {@code app_kubernetes_io_part_of="fetchsms"} and name a workload by
     * its job: the PodMonitor must put that pod label on every series and make the job the pod's name, and scrape
     * every workload that has metrics (every one but the gateway).
     */
    @Test
    void thePodMonitorLabelsTheSeriesAsTheHealthPageReadsThem() {
        Rendered rendered = Manifests.render(PROD_WITH_MONITORING);
        JsonNode monitor = rendered.get("PodMonitor", "fetchsms").path("spec");
        Properties dashboard = Platform.applicationProperties("dashboard");
        assertEquals("job", dashboard.getProperty("fetchsms.dashboard.health.prometheus-group-by"));
        assertEquals("app.kubernetes.io/name", monitor.path("jobLabel").asText(),
                "the job is not the workload's name");
        Matcher matcher = Pattern.compile("(\\w+)=\"([^\"]*)\"")
                .matcher(dashboard.getProperty("fetchsms.dashboard.health.prometheus-selector"));
        assertTrue(matcher.find(), "no label matcher in the dashboard's prometheus-selector");
        String label = matcher.group(1);
        String value = matcher.group(2);
        Set<String> targetLabels = new TreeSet<>();
        monitor.path("podTargetLabels").forEach(l -> targetLabels.add(l.asText().replaceAll("[^A-Za-z0-9_]", "_")));
        assertTrue(targetLabels.contains(label), "the PodMonitor puts " + targetLabels + " on the series, not "
                + label);
        Set<String> scraped = new TreeSet<>();
        rendered.deployments().forEach((name, deployment) -> {
            JsonNode labels = Rendered.podLabels(deployment);
            if (Rendered.selects(monitor.path("selector"), labels)) {
                scraped.add(name);
                String podLabel = targetLabels.contains(label) ? originalLabel(monitor, label) : label;
                assertEquals(value, labels.path(podLabel).asText(), name + "'s series would not be picked");
            }
        });
        Set<String> withMetrics = new TreeSet<>(Platform.workloads());
        withMetrics.remove("gateway");
        assertEquals(withMetrics, scraped, "the workloads with metrics (the gateway has none)");
        assertFalse(Platform.read(Manifests.repoRoot().resolve("gateway/pom.xml")).contains("micrometer"),
                "the gateway has metrics now: scrape it");
    }

    private static String originalLabel(JsonNode monitor, String sanitized) {
        for (JsonNode l : monitor.path("podTargetLabels")) {
            if (l.asText().replaceAll("[^A-Za-z0-9_]", "_").equals(sanitized)) {
                return l.asText();
            }
        }
        return sanitized;
    }
}
