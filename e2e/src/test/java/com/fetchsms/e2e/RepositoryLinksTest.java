package com.fetchsms.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The repository stands on its own: every link in its Markdown documents leads to a file of the repository, and no
 * file points at a place outside it (a sibling checkout, a path on the author's machine, a web page). A fresh clone
 * must be all a reader needs. Example addresses (a placeholder host, {@code localhost}) are not links to follow.
 * Runs without the stack.
 */
class RepositoryLinksTest {

    /** Directories that hold build output, local state or installed packages, not the repository's own files. */
    private static final Set<String> NOT_OURS = Set.of(".git", "target", ".state", "node_modules", ".mvn", "e2e-stack");

    /** {@code [text](target)}; the target up to the first space or closing parenthesis. */
    private static final Pattern MARKDOWN_LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

    /** Paths that only exist outside this repository. */
    private static final Pattern OUTSIDE_PATH = Pattern.compile("\\.\\./shared/|/work/|/home/[a-z]+/");

    private final Path root = Path.of(System.getProperty("fetchsms.repo.root", "..")).toAbsolutePath().normalize();

    @Test
    void everyMarkdownLinkLeadsToAFileOfTheRepository() {
        List<String> broken = new ArrayList<>();
        for (Path doc : files(".md")) {
            String text = read(doc);
            Matcher link = MARKDOWN_LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1);
                String where = root.relativize(doc) + ": (" + target + ")";
                if (target.startsWith("#") || target.startsWith("mailto:")) {
                    continue;
                }
                if (target.matches("(?i)[a-z][a-z0-9+.-]*:.*")) {
                    broken.add(where + " leads outside the repository");
                    continue;
                }
                String path = target.replaceFirst("#.*$", "");
                Path resolved = doc.getParent().resolve(path).normalize();
                if (!resolved.startsWith(root)) {
                    broken.add(where + " leads outside the repository");
                } else if (!Files.exists(resolved)) {
                    broken.add(where + " names no file of the repository");
                }
            }
        }
        assertTrue(broken.isEmpty(), "Links to fix:\n" + String.join("\n", broken));
    }

    @Test
    void noFileNamesAPathOutsideTheRepository() {
        List<String> found = new ArrayList<>();
        for (String suffix : List.of(".md", ".java", ".properties", ".yaml", ".yml", ".sh", ".sql", ".xml")) {
            for (Path file : files(suffix)) {
                if (file.endsWith("RepositoryLinksTest.java")) {
                    continue;
                }
                List<String> lines = read(file).lines().toList();
                for (int i = 0; i < lines.size(); i++) {
                    if (OUTSIDE_PATH.matcher(lines.get(i)).find()) {
                        found.add(root.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertTrue(found.isEmpty(), "Paths outside the repository:\n" + String.join("\n", found));
    }

    private List<Path> files(String suffix) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .filter(p -> {
                        for (Path part : root.relativize(p)) {
                            if (NOT_OURS.contains(part.toString())) {
                                return false;
                            }
                        }
                        return Files.isRegularFile(p);
                    })
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }
}
