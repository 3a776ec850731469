package com.fetchsms.k8s;

import static com.fetchsms.k8s.Manifests.PROD;
import static com.fetchsms.k8s.Manifests.PROD_WITH_MONITORING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The PrometheusRule of the monitoring component (decision 0032: Kafka trouble is an alert, not a failing probe): it
 * comes with the component only; Prometheus' own {@code promtool} accepts it and its unit tests
 * ({@code src/test/resources/prometheus/fetchsms-alerts-test.yaml}: each alert fires on its trouble, after its
 * {@code for}, not on a blip) pass; every platform metric it uses is documented, and every runbook it names is a
 * section of docs/operations.md. Without promtool (Debian's {@code prometheus} package) the promtool checks are
 * skipped, naming it.
 */
class AlertsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern PLATFORM_METRIC = Pattern.compile("\\bfetchsms_[a-z_]+");

    private static JsonNode rule(Rendered rendered) {
        List<JsonNode> rules = rendered.ofKind("PrometheusRule");
        assertEquals(1, rules.size(), rendered.overlay() + " PrometheusRules");
        return rules.get(0);
    }

    private static List<JsonNode> alerts() {
        List<JsonNode> alerts = new ArrayList<>();
        for (JsonNode group : rule(Manifests.render(PROD_WITH_MONITORING)).path("spec").path("groups")) {
            group.path("rules").forEach(alerts::add);
        }
        return alerts;
    }

    @Test
    void theAlertsComeWithTheMonitoringComponentOnly() {
        assertTrue(Manifests.render(PROD).ofKind("PrometheusRule").isEmpty(),
                "without the component there is no Prometheus Operator to read a PrometheusRule");
        Set<String> names = new TreeSet<>();
        alerts().forEach(a -> names.add(a.path("alert").asText()));
        assertEquals(Set.of("FetchsmsKafkaDisconnected", "FetchsmsOutboxBacklogOld", "FetchsmsOutboxRowParked",
                "FetchsmsConsumerLag", "FetchsmsConsumerWaiting"), names);
    }

    @Test
    void everyAlertUsesDocumentedMetricsAndNamesARunbookOfTheOperationsGuide() {
        String observability = Platform.read(Manifests.repoRoot().resolve("docs/observability.md"));
        Set<String> anchors = anchors(Platform.read(Manifests.repoRoot().resolve("docs/operations.md")));
        for (JsonNode alert : alerts()) {
            String name = alert.path("alert").asText();
            Matcher metric = PLATFORM_METRIC.matcher(alert.path("expr").asText());
            while (metric.find()) {
                assertTrue(observability.contains("`" + metric.group() + "`"),
                        name + " uses " + metric.group() + ", which docs/observability.md does not list");
            }
            String runbook = alert.path("annotations").path("runbook").asText();
            assertTrue(runbook.startsWith("docs/operations.md#"), name + " names no runbook of docs/operations.md");
            assertTrue(anchors.contains(runbook.substring(runbook.indexOf('#') + 1)),
                    name + ": docs/operations.md has no section " + runbook + " (sections: " + anchors + ")");
            assertFalse(alert.path("labels").path("severity").asText().isBlank(), name + " has no severity");
        }
    }

    @Test
    void prometheusAcceptsTheRulesAndTheyFireOnTheTroubleTheyAreFor() throws IOException {
        Path promtool = Manifests.onPath("promtool").orElse(null);
        Assumptions.assumeTrue(promtool != null,
                "promtool is not installed (Debian's prometheus package): the alert rules are not run here");
        Path dir = Manifests.k8sDir().resolve("target").resolve("prometheus");
        Files.createDirectories(dir);
        JsonNode groups = rule(Manifests.render(PROD_WITH_MONITORING)).path("spec").path("groups");
        YAML.writeValue(dir.resolve("fetchsms-rules.yaml").toFile(), Map.of("groups", groups));
        Files.copy(Manifests.k8sDir().resolve("src/test/resources/prometheus/fetchsms-alerts-test.yaml"),
                dir.resolve("fetchsms-alerts-test.yaml"), StandardCopyOption.REPLACE_EXISTING);
        promtool(dir, promtool.toString(), "check", "rules", "fetchsms-rules.yaml");
        promtool(dir, promtool.toString(), "test", "rules", "fetchsms-alerts-test.yaml");
    }

    /** The anchors GitHub gives the headings of a Markdown page. */
    private static Set<String> anchors(String markdown) {
        Set<String> anchors = new TreeSet<>();
        Matcher heading = Pattern.compile("^#{1,6} (.+)$", Pattern.MULTILINE).matcher(markdown);
        while (heading.find()) {
            anchors.add(heading.group(1).trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "")
                    .replace(' ', '-'));
        }
        return anchors;
    }

    private static void promtool(Path dir, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in 60 s");
            }
            System.out.println(output);
            assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
        }
    }
}
