package com.fetchsms.ingest.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Loads the service detection rules ({@link ServiceRule}) from JSON.
 *
 * <p>
 * Which sender ids and words identify which service is data, not code: operators add a short code they observe or a
 * localised brand spelling by editing {@code detection/services.json}. The format is
 *
 * <pre>
 * {
 *   "description": "free text, ignored",
 *   "services": [
 *     {
 *       "slug": "whatsapp",                      // catalog slug, required, unique
 *       "name": "WhatsApp",                      // catalog display name, required
 *       "senders": ["WhatsApp"],                 // sender ids, short codes, phone numbers (optional)
 *       "keywords": ["WhatsApp", "واتساب"],      // whole words/phrases, any case (optional)
 *       "case_sensitive_keywords": ["LINE"],     // whole words/phrases, exact case (optional)
 *       "excluded_phrases": ["Apple Pay"]        // keyword occurrences inside these do not count (optional)
 *     }
 *   ]
 * }
 * </pre>
 *
 * The order of {@code services} breaks ties in {@link ServiceDetector} (earlier wins). Unknown fields are rejected so
 * that a misspelt field name does not silently disable a rule.
 */
public final class ServiceRules {

    /** Classpath location of the rules that ship with the service. */
    public static final String DEFAULT_RESOURCE = "detection/services.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP_LEVEL_FIELDS = Set.of("description", "services");
    private static final Set<String> RULE_FIELDS = Set.of("slug", "name", "senders", "keywords",
            "case_sensitive_keywords", "excluded_phrases");

    private ServiceRules() {
    }

    /**
     * Reads rules from a JSON document in the format described above. The stream is not closed.
     *
     * @param json
     *            the document
     * @return the rules in document order, immutable
     * @throws IllegalArgumentException
     *             if the document is not valid JSON or not a valid rule set (missing slug or name, duplicate slug,
     *             unknown field, non-string list entry)
     * @throws UncheckedIOException
     *             if reading the stream fails
     */
    public static List<ServiceRule> load(InputStream json) {
        if (json == null) {
            throw new IllegalArgumentException("no rules document");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("service rules are not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read service rules", e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("service rules must be a JSON object with a \"services\" array");
        }
        checkFields(root, TOP_LEVEL_FIELDS, "top level");
        JsonNode services = root.get("services");
        if (services == null || !services.isArray()) {
            throw new IllegalArgumentException("service rules need a \"services\" array");
        }
        List<ServiceRule> rules = new ArrayList<>();
        Set<String> slugs = new HashSet<>();
        for (JsonNode node : services) {
            if (!node.isObject()) {
                throw new IllegalArgumentException("each entry of \"services\" must be an object");
            }
            String slug = text(node, "slug", "(unnamed)");
            checkFields(node, RULE_FIELDS, "service " + slug);
            ServiceRule rule = new ServiceRule(slug, text(node, "name", slug), strings(node, "senders", slug),
                    strings(node, "keywords", slug), strings(node, "case_sensitive_keywords", slug),
                    strings(node, "excluded_phrases", slug));
            if (!slugs.add(rule.slug())) {
                throw new IllegalArgumentException("duplicate service slug " + rule.slug());
            }
            rules.add(rule);
        }
        return List.copyOf(rules);
    }

    /**
     * The rules that ship with the service, read once from the classpath resource {@value #DEFAULT_RESOURCE}.
     *
     * @return the rules, immutable
     * @throws IllegalStateException
     *             if the resource is missing
     */
    public static List<ServiceRule> defaults() {
        return Defaults.RULES;
    }

    private static final class Defaults {
        static final List<ServiceRule> RULES = read();

        private static List<ServiceRule> read() {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            InputStream in = loader == null ? null : loader.getResourceAsStream(DEFAULT_RESOURCE);
            if (in == null) {
                in = ServiceRules.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE);
            }
            if (in == null) {
                throw new IllegalStateException("classpath resource " + DEFAULT_RESOURCE + " is missing");
            }
            try (InputStream stream = in) {
                return load(stream);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + DEFAULT_RESOURCE, e);
            }
        }
    }

    private static void checkFields(JsonNode node, Set<String> allowed, String where) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException("unknown field \"" + name + "\" in " + where);
            }
        }
    }

    private static String text(JsonNode node, String field, String slug) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("service " + slug + ": \"" + field + "\" must be a non-blank string");
        }
        return value.asText();
    }

    private static List<String> strings(JsonNode node, String field, String slug) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException("service " + slug + ": \"" + field + "\" must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("service " + slug + ": \"" + field + "\" must hold strings only");
            }
            out.add(item.asText());
        }
        return out;
    }
}
