package com.fetchsms.k8s;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Renders the overlays of deploy/k8s with {@code kubectl kustomize} (or a standalone {@code kustomize build}) and
 * parses the output. Each overlay is rendered once per test JVM, from a copy of deploy/k8s under {@code target/}
 * where the dev overlay's throwaway secrets are generated (the source tree is never written to). When neither tool is
 * installed the tests that need a render are skipped, naming the missing tool.
 */
final class Manifests {

    static final String DEV = "dev";
    static final String PROD = "prod";
    /** prod plus the optional monitoring component (a kustomization written into the copy). */
    static final String PROD_WITH_MONITORING = "prod-with-monitoring";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();
    private static volatile Path copy;

    private Manifests() {
    }

    static Path k8sDir() {
        return Path.of(System.getProperty("fetchsms.k8s.dir", ".")).toAbsolutePath().normalize();
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("fetchsms.repo.root", "../..")).toAbsolutePath().normalize();
    }

    /** The rendered overlay; skips the calling test when no Kustomize is installed. */
    static Rendered render(String overlay) {
        List<String> tool = kustomizeCommand();
        return CACHE.computeIfAbsent(overlay, name -> doRender(tool, name));
    }

    private static Rendered doRender(List<String> tool, String overlay) {
        Path root = renderCopy();
        List<String> command = new ArrayList<>(tool);
        command.add(root.resolve("overlays").resolve(overlay).toString());
        long start = System.nanoTime();
        String output = run(command, root);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(output)) {
            while (it.hasNext()) {
                JsonNode document = it.next();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The render of overlay " + overlay + " is not YAML", e);
        }
        System.out.printf("Rendered overlays/%s with %s: %d objects in %d ms%n", overlay, String.join(" ", tool),
                documents.size(), millis);
        return new Rendered(overlay, List.copyOf(documents));
    }

    /** {@code kubectl kustomize} or {@code kustomize build}, whichever is installed (kubectl first). */
    static List<String> kustomizeCommand() {
        Optional<Path> kubectl = onPath("kubectl");
        if (kubectl.isPresent()) {
            return List.of(kubectl.get().toString(), "kustomize");
        }
        Optional<Path> kustomize = onPath("kustomize");
        if (kustomize.isPresent()) {
            return List.of(kustomize.get().toString(), "build");
        }
        Assumptions.abort("kubectl is not installed (nor kustomize): the Kubernetes manifests cannot be rendered here");
        throw new IllegalStateException("unreachable");
    }

    /** Looks on the PATH (and /usr/local/bin, /usr/bin); {@code -Dfetchsms.k8s.tools.path} replaces that list. */
    static Optional<Path> onPath(String tool) {
        String path = System.getProperty("fetchsms.k8s.tools.path", System.getenv().getOrDefault("PATH", "")
                + File.pathSeparator + "/usr/local/bin" + File.pathSeparator + "/usr/bin");
        return Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, tool)).filter(Files::isExecutable).findFirst();
    }

    /**
     * A copy of base/, overlays/ and components/ under target/, without any secrets a developer generated, with fresh
     * dev secrets from the overlay's own generate-dev-secrets script.
     */
    private static synchronized Path renderCopy() {
        if (copy != null) {
            return copy;
        }
        Path source = k8sDir();
        Path target = source.resolve("target").resolve("k8s-render");
        try {
            deleteTree(target);
            for (String dir : List.of("base", "overlays", "components")) {
                copyTree(source.resolve(dir), target.resolve(dir));
            }
            deleteTree(target.resolve("overlays/dev/secrets"));
            Path monitoring = target.resolve("overlays").resolve(PROD_WITH_MONITORING);
            Files.createDirectories(monitoring);
            Files.writeString(monitoring.resolve("kustomization.yaml"), """
                    apiVersion: kustomize.config.k8s.io/v1beta1
                    kind: Kustomization
                    resources:
                      - ../prod
                    components:
                      - ../../components/monitoring
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Assumptions.assumeTrue(onPath("bash").isPresent(), "bash is not installed: cannot run generate-dev-secrets");
        Assumptions.assumeTrue(onPath("openssl").isPresent(),
                "openssl is not installed: generate-dev-secrets cannot create the dev overlay's throwaway secrets");
        run(List.of("bash", target.resolve("overlays/dev/generate-dev-secrets").toString()), target);
        copy = target;
        return target;
    }

    private static String run(List<String> command, Path dir) {
        try {
            Path out = Files.createTempFile("fetchsms-k8s", ".out");
            Path err = Files.createTempFile("fetchsms-k8s", ".err");
            try {
                Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                        .redirectError(err.toFile()).start();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail(String.join(" ", command) + " did not finish within 60 s");
                }
                if (process.exitValue() != 0) {
                    fail(String.join(" ", command) + " failed (" + process.exitValue() + "):\n"
                            + Files.readString(err, StandardCharsets.UTF_8));
                }
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path destination = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(path, destination, StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
