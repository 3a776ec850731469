package com.fetchsms.k8s;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/** One rendered overlay: its objects and the questions the tests ask of them. */
record Rendered(String overlay, List<JsonNode> objects) {

    List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(name(o))).findFirst();
    }

    JsonNode get(String kind, String name) {
        return find(kind, name).orElseGet(() -> fail(overlay + " renders no " + kind + " named " + name));
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    /** The Deployments, by name. */
    Map<String, JsonNode> deployments() {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        ofKind("Deployment").forEach(d -> byName.put(name(d), d));
        return byName;
    }

    static JsonNode podSpec(JsonNode deployment) {
        return deployment.path("spec").path("template").path("spec");
    }

    static JsonNode podLabels(JsonNode deployment) {
        return deployment.path("spec").path("template").path("metadata").path("labels");
    }

    static List<JsonNode> containers(JsonNode deployment) {
        List<JsonNode> containers = new ArrayList<>();
        podSpec(deployment).path("containers").forEach(containers::add);
        return containers;
    }

    static JsonNode container(JsonNode deployment) {
        List<JsonNode> containers = containers(deployment);
        if (containers.size() != 1) {
            fail(name(deployment) + " should run exactly one container, has " + containers.size());
        }
        return containers.get(0);
    }

    /** What an environment variable of a container is: a value, or a reference to a Secret's key. */
    record EnvValue(String value, String secretName, String secretKey) {
        boolean isSecret() {
            return secretName != null;
        }
    }

    /**
     * The environment a container starts with: envFrom ConfigMaps (their data) in order, then env entries (literal
     * values, ConfigMap keys resolved, Secret keys as references). Later definitions win, as in Kubernetes.
     */
    Map<String, EnvValue> environment(JsonNode container) {
        Map<String, EnvValue> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String configMap = from.path("configMapRef").path("name").asText(null);
            if (configMap != null) {
                get("ConfigMap", configMap).path("data").properties()
                        .forEach(e -> env.put(e.getKey(), new EnvValue(e.getValue().asText(), null, null)));
            }
            String secret = from.path("secretRef").path("name").asText(null);
            if (secret != null) {
                fail(container.path("name").asText() + " takes a whole Secret as environment (" + secret
                        + "): reference its keys one by one");
            }
        }
        for (JsonNode var : container.path("env")) {
            String name = var.path("name").asText();
            if (var.has("value")) {
                env.put(name, new EnvValue(var.path("value").asText(), null, null));
            } else if (var.path("valueFrom").has("configMapKeyRef")) {
                JsonNode ref = var.path("valueFrom").path("configMapKeyRef");
                env.put(name, new EnvValue(
                        get("ConfigMap", ref.path("name").asText()).path("data").path(ref.path("key").asText())
                                .asText(null),
                        null, null));
            } else if (var.path("valueFrom").has("secretKeyRef")) {
                JsonNode ref = var.path("valueFrom").path("secretKeyRef");
                env.put(name, new EnvValue(null, ref.path("name").asText(), ref.path("key").asText()));
            }
        }
        return env;
    }

    /** Whether a Kubernetes label selector (matchLabels and matchExpressions) selects these labels. */
    static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector == null || selector.isMissingNode() || selector.isNull()) {
            return false;
        }
        for (var entry : selector.path("matchLabels").properties()) {
            if (!entry.getValue().asText().equals(labels.path(entry.getKey()).asText(null))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String value = labels.path(expression.path("key").asText()).asText(null);
            List<String> values = new ArrayList<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            boolean ok = switch (expression.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> fail("Unknown selector operator in " + expression);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
