package com.fetchsms.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs service detection and code extraction over the realistic SMS corpus in {@code corpus/messages.jsonl} and holds
 * them to the acceptance bar: at least 98 % of codes and 98 % of services right.
 *
 * <p>
 * Each line of the corpus is one JSON object: {@code sender}, {@code text}, {@code expected_service} (catalog slug or
 * {@code null} for a service not in the catalog), {@code expected_code} ({@code null} when the SMS has no code),
 * {@code lang} (BCP 47 language of the text) and an optional {@code note} saying what the entry tests. The test writes
 * every mismatch and the accuracy figures to {@code target/corpus-report.txt}.
 */
class CodeCorpusTest {

    private static final String CORPUS = "corpus/messages.jsonl";
    private static final double REQUIRED_ACCURACY = 98.0;

    private static List<Entry> corpus;
    private static ServiceDetector detector;

    record Entry(int line, String sender, String text, String expectedService, String expectedCode, String lang,
            String note) {
    }

    @BeforeAll
    static void load() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Entry> entries = new ArrayList<>();
        try (InputStream in = CodeCorpusTest.class.getClassLoader().getResourceAsStream(CORPUS)) {
            assertNotNull(in, CORPUS + " is on the test classpath");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = json.readTree(line);
                entries.add(new Entry(number, node.get("sender").asText(), node.get("text").asText(),
                        textOrNull(node, "expected_service"), textOrNull(node, "expected_code"),
                        node.path("lang").asText("en"), textOrNull(node, "note")));
            }
        }
        corpus = List.copyOf(entries);
        detector = new ServiceDetector(ServiceRules.defaults());
    }

    @Test
    void corpusIsLargeAndVariedEnoughToJudgeBy() {
        Set<String> services = corpus.stream().map(Entry::expectedService).filter(Objects::nonNull)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> languages = corpus.stream().map(Entry::lang).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(corpus.size() >= 100, "at least 100 messages, got " + corpus.size());
        assertTrue(services.size() >= 35, "at least 35 services, got " + services);
        assertTrue(languages.size() >= 8, "several languages, got " + languages);
        assertTrue(corpus.stream().anyMatch(e -> e.expectedCode() == null), "messages without a code");
        assertTrue(corpus.stream().anyMatch(e -> e.expectedService() == null), "messages for no known service");
    }

    @Test
    void everyExpectedServiceIsACatalogSlugWithARule() {
        Set<String> slugs = ServiceRules.defaults().stream().map(ServiceRule::slug).collect(Collectors.toSet());
        for (Entry e : corpus) {
            if (e.expectedService() != null) {
                assertTrue(slugs.contains(e.expectedService()),
                        "line " + e.line() + ": unknown slug " + e.expectedService());
            }
        }
    }

    @Test
    void detectsServicesAndExtractsCodesWithAtLeast98PercentAccuracy() throws IOException {
        int codeRight = 0;
        int serviceRight = 0;
        int withCode = 0;
        int withService = 0;
        StringBuilder mismatches = new StringBuilder();
        for (Entry e : corpus) {
            String code = CodeExtractor.extract(e.text()).orElse(null);
            Optional<ServiceRule> rule = detector.detect(e.sender(), e.text());
            String service = rule.map(ServiceRule::slug).orElse(null);
            boolean codeOk = Objects.equals(e.expectedCode(), code);
            boolean serviceOk = Objects.equals(e.expectedService(), service);
            codeRight += codeOk ? 1 : 0;
            serviceRight += serviceOk ? 1 : 0;
            withCode += e.expectedCode() != null ? 1 : 0;
            withService += e.expectedService() != null ? 1 : 0;
            if (!codeOk || !serviceOk) {
                mismatches.append(String.format(Locale.ROOT, "line %d [%s] sender=%s%n  text: %s%n", e.line(),
                        e.lang(), e.sender(), e.text().replace("\n", "\\n")));
                if (!codeOk) {
                    mismatches.append(String.format(Locale.ROOT, "  code: expected %s, got %s%n", e.expectedCode(),
                            code));
                }
                if (!serviceOk) {
                    mismatches.append(String.format(Locale.ROOT, "  service: expected %s, got %s%n",
                            e.expectedService(), service));
                }
                if (e.note() != null) {
                    mismatches.append("  note: ").append(e.note()).append(System.lineSeparator());
                }
            }
        }
        int total = corpus.size();
        double codeAccuracy = 100.0 * codeRight / total;
        double serviceAccuracy = 100.0 * serviceRight / total;
        String codeLine = String.format(Locale.ROOT, "code accuracy: %.2f %% (%d/%d)", codeAccuracy, codeRight, total);
        String serviceLine = String.format(Locale.ROOT, "service accuracy: %.2f %% (%d/%d)", serviceAccuracy,
                serviceRight, total);
        writeReport(codeLine, serviceLine, withCode, withService, mismatches.toString());
        System.out.println(codeLine);
        System.out.println(serviceLine);
        assertTrue(codeAccuracy >= REQUIRED_ACCURACY, codeLine + System.lineSeparator() + mismatches);
        assertTrue(serviceAccuracy >= REQUIRED_ACCURACY, serviceLine + System.lineSeparator() + mismatches);
    }

    @Test
    void messagesWithoutACodeYieldNoCode() {
        List<String> wrong = new ArrayList<>();
        for (Entry e : corpus) {
            if (e.expectedCode() == null) {
                CodeExtractor.extract(e.text()).ifPresent(code -> wrong.add("line " + e.line() + ": " + code));
            }
        }
        assertFalse(wrong.size() > corpus.size() / 50, "codes invented for code-less messages: " + wrong);
    }

    private static void writeReport(String codeLine, String serviceLine, int withCode, int withService,
            String mismatches) throws IOException {
        Map<String, Long> languages = new TreeMap<>(
                corpus.stream().collect(Collectors.groupingBy(Entry::lang, Collectors.counting())));
        Map<String, Long> services = new TreeMap<>(corpus.stream().filter(e -> e.expectedService() != null)
                .collect(Collectors.groupingBy(Entry::expectedService, Collectors.counting())));
        StringBuilder report = new StringBuilder();
        String nl = System.lineSeparator();
        report.append("FetchSMS corpus report (").append(CORPUS).append(')').append(nl);
        report.append("entries: ").append(corpus.size()).append(nl);
        report.append("entries with a code: ").append(withCode).append(", without: ").append(corpus.size() - withCode)
                .append(nl);
        report.append("entries for a catalog service: ").append(withService).append(", for none: ")
                .append(corpus.size() - withService).append(nl);
        report.append("services: ").append(services.size()).append(' ').append(services).append(nl);
        report.append("languages: ").append(languages.size()).append(' ').append(languages).append(nl);
        report.append(codeLine).append(nl).append(serviceLine).append(nl).append(nl);
        report.append(mismatches.isEmpty() ? "no mismatches" + nl : "mismatches:" + nl + mismatches);
        Path target = Path.of(System.getProperty("basedir", "."), "target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("corpus-report.txt"), report.toString(), StandardCharsets.UTF_8);
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
