package com.fetchsms.k8s;

import static com.fetchsms.k8s.Manifests.DEV;
import static com.fetchsms.k8s.Manifests.PROD;
import static com.fetchsms.k8s.Manifests.PROD_WITH_MONITORING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every rendered object of every overlay (and of the monitoring component, and of the restore overlay) is validated
 * against its kind's schema: the Kubernetes API's, or the operator's CRD where a package registry carries it
 * ({@link KubernetesSchemas}). Kinds no reachable package describes are listed as unvalidated, and must be the ones
 * deploy/k8s/README.md lists ("Objects no schema validates"): never skipped silently.
 */
class ManifestSchemaTest {

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD, PROD_WITH_MONITORING, PostgresRestore.OVERLAY})
    void everyRenderedObjectMatchesItsSchemaOrIsADocumentedUnvalidatedKind(String overlay) {
        Rendered rendered = PostgresRestore.OVERLAY.equals(overlay)
                ? PostgresRestore.render()
                : Manifests.render(overlay);
        KubernetesSchemas schemas = KubernetesSchemas.load();
        Map<String, Set<String>> documented = documentedUnvalidatedKinds();
        List<String> failures = new ArrayList<>();
        Map<KubernetesSchemas.Source, Integer> validated = new TreeMap<>();
        Set<String> unvalidated = new TreeSet<>();
        for (var object : rendered.objects()) {
            KubernetesSchemas.Result result = schemas.validate(object);
            if (result.validated()) {
                validated.merge(result.source().orElseThrow(), 1, Integer::sum);
                result.errors().forEach(error -> failures.add(result.describe() + " " + error));
                continue;
            }
            String apiVersion = object.path("apiVersion").asText();
            String kind = object.path("kind").asText();
            unvalidated.add(result.describe());
            if (schemas.coversGroup(apiVersion)) {
                failures.add(result.describe() + ": no schema for this kind, although its API group is covered");
            } else if (!documented.getOrDefault(apiVersion, Set.of()).contains(kind)) {
                failures.add(result.describe() + ": no schema validates this kind, and deploy/k8s/README.md does not "
                        + "list it under \"Objects no schema validates\"");
            }
        }
        System.out.printf("overlays/%s: %d objects; validated: %s; unvalidated (no schema in a reachable package): "
                + "%d %s%n", overlay, rendered.objects().size(), validated, unvalidated.size(), unvalidated);
        assertTrue(failures.isEmpty(), overlay + ":\n  " + String.join("\n  ", failures));
        assertFalse(validated.isEmpty(), overlay + " validated nothing");
    }

    /** The README's list stays true: every kind it names has no schema here (else it would be validated). */
    @Test
    void everyKindTheReadmeListsAsUnvalidatedReallyHasNoSchema() {
        Map<String, Set<String>> documented = documentedUnvalidatedKinds();
        assertFalse(documented.isEmpty(), "deploy/k8s/README.md lists no unvalidated kind");
        KubernetesSchemas schemas = KubernetesSchemas.load();
        for (var entry : documented.entrySet()) {
            for (String kind : entry.getValue()) {
                ObjectNode probe = JsonNodeFactory.instance.objectNode();
                probe.put("apiVersion", entry.getKey());
                probe.put("kind", kind);
                probe.putObject("metadata").put("name", "probe");
                assertFalse(schemas.validate(probe).validated(), entry.getKey() + " " + kind
                        + " now has a schema: validate it and remove it from the README's list");
            }
        }
    }

    /** deploy/k8s/README.md, section "Objects no schema validates": apiVersion → kinds, from its table. */
    static Map<String, Set<String>> documentedUnvalidatedKinds() {
        String readme = Platform.read(Manifests.k8sDir().resolve("README.md"));
        Matcher section = Pattern.compile("#+ Objects no schema validates\\n(.*?)(?=\\n#|\\z)", Pattern.DOTALL)
                .matcher(readme);
        assertTrue(section.find(), "deploy/k8s/README.md has no section \"Objects no schema validates\"");
        Map<String, Set<String>> kinds = new LinkedHashMap<>();
        Pattern row = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|([^|]+)\\|", Pattern.MULTILINE);
        Matcher m = row.matcher(section.group(1));
        while (m.find()) {
            Set<String> names = kinds.computeIfAbsent(m.group(1), k -> new TreeSet<>());
            Matcher kind = Pattern.compile("`([^`]+)`").matcher(m.group(2));
            while (kind.find()) {
                names.add(kind.group(1));
            }
        }
        return kinds;
    }

    @Test
    void definitionNamesFollowTheKubernetesOpenApiConvention() {
        assertEquals("io.k8s.api.core.v1.Service", KubernetesSchemas.kubernetesDefinitionName("v1", "Service"));
        assertEquals("io.k8s.api.apps.v1.Deployment",
                KubernetesSchemas.kubernetesDefinitionName("apps/v1", "Deployment"));
        assertEquals("io.k8s.api.networking.v1.NetworkPolicy",
                KubernetesSchemas.kubernetesDefinitionName("networking.k8s.io/v1", "NetworkPolicy"));
        assertEquals("com.coreos.monitoring.v1.PodMonitor",
                KubernetesSchemas.kubernetesDefinitionName("monitoring.coreos.com/v1", "PodMonitor"));
    }
}
