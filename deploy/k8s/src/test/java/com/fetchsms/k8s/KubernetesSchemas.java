package com.fetchsms.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * The schemas the rendered manifests are validated against (decision 0033), from packages of Maven Central:
 * <ul>
 * <li>the Kubernetes API's OpenAPI definitions, as fabric8 publishes them in {@code io.fabric8:kubernetes-model-validator}
 * ({@code openshift-generated.json}: every built-in kind, and the Prometheus Operator's {@code monitoring.coreos.com}
 * kinds that OpenShift ships);</li>
 * <li>Strimzi's CustomResourceDefinitions, in the test jar of {@code io.strimzi:api} ({@code crds/v1/*.yaml}).</li>
 * </ul>
 * Both are OpenAPI schemas: they are read as JSON Schema draft 4 (which OpenAPI's schema object is based on) with what
 * the API server adds made explicit: int-or-string and quantities accept numbers, {@code nullable} accepts null, and an
 * object with declared properties accepts no other property unless it says {@code x-kubernetes-preserve-unknown-fields}
 * (the API server drops unknown fields of custom resources silently and, with {@code kubectl apply}'s default strict
 * field validation, refuses them on built-in kinds: either way a misspelt field is a mistake). Rules in CEL
 * ({@code x-kubernetes-validations}) are not evaluated.
 */
final class KubernetesSchemas {

    /** Where an object's schema came from, for the report. */
    enum Source {
        KUBERNETES_OPENAPI,
        STRIMZI_CRD
    }

    /** The outcome of validating one object: no schema (unvalidated), or the schema's source and its errors. */
    record Result(JsonNode object, Optional<Source> source, List<String> errors) {

        boolean validated() {
            return source.isPresent();
        }

        String describe() {
            return object.path("apiVersion").asText() + " " + object.path("kind").asText() + " "
                    + Rendered.name(object);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String KUBERNETES_OPENAPI = "/openshift-generated.json";
    private static final String STRIMZI_CRDS = "crds/v1";
    private static volatile KubernetesSchemas instance;

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
    private final ObjectNode kubernetesDefinitions;
    /** "group/version/Kind" → openAPIV3Schema, from the CRDs. */
    private final Map<String, JsonNode> customResources;
    private final Map<String, Optional<Compiled>> compiled = new ConcurrentHashMap<>();

    private record Compiled(Source source, Schema schema) {
    }

    private KubernetesSchemas(ObjectNode kubernetesDefinitions, Map<String, JsonNode> customResources) {
        this.kubernetesDefinitions = kubernetesDefinitions;
        this.customResources = customResources;
    }

    /** Loaded once per test JVM (the Kubernetes definitions are a 6 MB document). */
    static KubernetesSchemas load() {
        KubernetesSchemas loaded = instance;
        if (loaded == null) {
            synchronized (KubernetesSchemas.class) {
                loaded = instance;
                if (loaded == null) {
                    loaded = new KubernetesSchemas(kubernetesDefinitions(), strimziCustomResources());
                    instance = loaded;
                }
            }
        }
        return loaded;
    }

    /** The object validated against its kind's schema, or reported unvalidated when no package carries one. */
    Result validate(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        Optional<Compiled> schema = compiled.computeIfAbsent(apiVersion + "/" + kind, k -> compile(apiVersion, kind));
        if (schema.isEmpty()) {
            return new Result(object, Optional.empty(), List.of());
        }
        List<String> errors = new ArrayList<>();
        for (Error error : schema.get().schema().validate(object)) {
            errors.add(error.getInstanceLocation() + ": " + error.getMessage());
        }
        return new Result(object, Optional.of(schema.get().source()), List.copyOf(errors));
    }

    /** The API groups whose every kind has a schema here (a kind of these groups without one is a failure). */
    boolean coversGroup(String apiVersion) {
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return group.isEmpty() || !group.contains(".") || group.endsWith(".k8s.io") && !group.startsWith("gateway.")
                || "kafka.strimzi.io".equals(group) || "monitoring.coreos.com".equals(group);
    }

    private Optional<Compiled> compile(String apiVersion, String kind) {
        JsonNode crd = customResources.get(apiVersion + "/" + kind);
        if (crd != null) {
            return Optional.of(new Compiled(Source.STRIMZI_CRD, registry.getSchema(crd)));
        }
        String definition = kubernetesDefinitionName(apiVersion, kind);
        JsonNode found = kubernetesDefinitions.get(definition);
        if (found == null || !found.path("properties").has("kind")) {
            return Optional.empty();
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("$ref", "#/definitions/" + definition);
        root.set("definitions", kubernetesDefinitions);
        return Optional.of(new Compiled(Source.KUBERNETES_OPENAPI, registry.getSchema(root)));
    }

    /**
     * The OpenAPI definition of an apiVersion and kind: {@code v1} → {@code io.k8s.api.core.v1}, {@code apps/v1} →
     * {@code io.k8s.api.apps.v1}, {@code networking.k8s.io/v1} → {@code io.k8s.api.networking.v1}, other groups by
     * their reversed name ({@code monitoring.coreos.com/v1} → {@code com.coreos.monitoring.v1}).
     */
    static String kubernetesDefinitionName(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        if (slash < 0) {
            return "io.k8s.api.core." + apiVersion + "." + kind;
        }
        String group = apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        if (!group.contains(".")) {
            return "io.k8s.api." + group + "." + version + "." + kind;
        }
        if (group.endsWith(".k8s.io")) {
            return "io.k8s.api." + group.substring(0, group.indexOf('.')) + "." + version + "." + kind;
        }
        List<String> labels = new ArrayList<>(List.of(group.split("\\.")));
        java.util.Collections.reverse(labels);
        return String.join(".", labels) + "." + version + "." + kind;
    }

    private static ObjectNode kubernetesDefinitions() {
        try (InputStream in = KubernetesSchemas.class.getResourceAsStream(KUBERNETES_OPENAPI)) {
            if (in == null) {
                throw new IllegalStateException(KUBERNETES_OPENAPI + " is not on the test classpath "
                        + "(io.fabric8:kubernetes-model-validator, deploy/k8s/pom.xml)");
            }
            ObjectNode definitions = (ObjectNode) JSON.readTree(in).path("definitions");
            definitions.properties().forEach(e -> kubernetesStrict(e.getKey(), e.getValue()));
            return definitions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void kubernetesStrict(String name, JsonNode definition) {
        if (definition instanceof ObjectNode node
                && "io.k8s.apimachinery.pkg.api.resource.Quantity".equals(name)) {
            // "500m", "2Gi", but also 1 or 0.5: the API server accepts a number where a quantity is expected.
            node.set("type", JsonNodeFactory.instance.arrayNode().add("string").add("number"));
        }
        strict(definition);
    }

    /** Every CRD version of Strimzi's test jar, by "group/version/Kind". */
    private static Map<String, JsonNode> strimziCustomResources() {
        Map<String, JsonNode> schemas = new LinkedHashMap<>();
        for (Path file : resourceFiles(STRIMZI_CRDS)) {
            try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class)
                    .readValues(Files.readString(file))) {
                while (documents.hasNext()) {
                    JsonNode crd = documents.next();
                    if (!"CustomResourceDefinition".equals(crd.path("kind").asText())) {
                        continue;
                    }
                    String group = crd.path("spec").path("group").asText();
                    String kind = crd.path("spec").path("names").path("kind").asText();
                    for (JsonNode version : crd.path("spec").path("versions")) {
                        JsonNode schema = version.path("schema").path("openAPIV3Schema").deepCopy();
                        strict(schema);
                        schemas.put(group + "/" + version.path("name").asText() + "/" + kind, schema);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (schemas.isEmpty()) {
            throw new IllegalStateException("No Strimzi CRD under " + STRIMZI_CRDS + " on the test classpath "
                    + "(io.strimzi:api, classifier tests, deploy/k8s/pom.xml)");
        }
        return schemas;
    }

    /** The files under a classpath directory (in a jar or a directory). */
    private static List<Path> resourceFiles(String directory) {
        URL url = KubernetesSchemas.class.getClassLoader().getResource(directory);
        if (url == null) {
            return List.of();
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem jar;
                try {
                    jar = FileSystems.newFileSystem(uri, Map.of());
                } catch (java.nio.file.FileSystemAlreadyExistsException e) {
                    jar = FileSystems.getFileSystem(uri);
                }
                return list(jar.getPath(directory));
            }
            return list(Path.of(uri));
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("Cannot list " + url, e);
        }
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /**
     * Makes an OpenAPI schema (and every schema in it) say what the API server accepts, in JSON Schema draft 4: no
     * undeclared properties, int-or-string, nullable.
     */
    static void strict(JsonNode schema) {
        if (schema instanceof ArrayNode array) {
            array.forEach(KubernetesSchemas::strict);
            return;
        }
        if (!(schema instanceof ObjectNode node)) {
            return;
        }
        boolean intOrString = "int-or-string".equals(node.path("format").asText())
                || node.path("x-kubernetes-int-or-string").asBoolean(false);
        if (intOrString) {
            node.remove("format");
            node.remove("anyOf");
            node.set("type", JsonNodeFactory.instance.arrayNode().add("integer").add("string"));
        }
        if (node.path("nullable").asBoolean(false) && node.path("type").isTextual()) {
            node.set("type", JsonNodeFactory.instance.arrayNode().add(node.path("type").asText()).add("null"));
        }
        if (node.path("properties").isObject() && !node.has("additionalProperties")
                && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            node.put("additionalProperties", false);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!"enum".equals(entry.getKey()) && !"example".equals(entry.getKey())
                    && !"default".equals(entry.getKey())) {
                if ("properties".equals(entry.getKey()) || "definitions".equals(entry.getKey())
                        || "patternProperties".equals(entry.getKey())) {
                    entry.getValue().forEach(KubernetesSchemas::strict);
                } else {
                    strict(entry.getValue());
                }
            }
        }
    }
}
