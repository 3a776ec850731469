package com.fetchsms.ingest.domain;

import java.util.List;

/**
 * How one catalog service is recognised in an inbound SMS: by who sent it and by the words its messages use.
 *
 * <p>
 * Rules are data, loaded from {@code detection/services.json} by {@link ServiceRules}, and applied by
 * {@link ServiceDetector}; no service name is written in code.
 *
 * @param slug
 *            the catalog slug, e.g. {@code "whatsapp"}
 * @param name
 *            the catalog display name, e.g. {@code "WhatsApp"}
 * @param senders
 *            sender ids that identify the service: alphanumeric ids ({@code "WhatsApp"}, compared ignoring case and
 *            punctuation), short codes ({@code "22000"}) and phone numbers ({@code "+14155550100"}, compared by digits,
 *            national and international forms alike)
 * @param keywords
 *            words or phrases that name the service in a text, matched as whole words ignoring case (words in scripts
 *            written without spaces, such as {@code 微信}, match anywhere)
 * @param caseSensitiveKeywords
 *            like {@code keywords}, but matched with case, for brands that are also ordinary words ({@code "LINE"},
 *            {@code "Signal"}, {@code "Chime"}) or very short ({@code "X account"})
 * @param excludedPhrases
 *            phrases in which a keyword does <em>not</em> name the service, e.g. {@code "Apple Pay"} in a bank's SMS
 */
public record ServiceRule(String slug, String name, List<String> senders, List<String> keywords,
        List<String> caseSensitiveKeywords, List<String> excludedPhrases) {

    /**
     * @throws IllegalArgumentException
     *             if slug or name is blank
     */
    public ServiceRule {
        if (slug == null || slug.isBlank()) {
            throw new IllegalArgumentException("service rule needs a slug");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("service rule " + slug + " needs a name");
        }
        senders = copy(senders, slug, "senders");
        keywords = copy(keywords, slug, "keywords");
        caseSensitiveKeywords = copy(caseSensitiveKeywords, slug, "case_sensitive_keywords");
        excludedPhrases = copy(excludedPhrases, slug, "excluded_phrases");
    }

    /** A rule with only case-insensitive keywords and no excluded phrases. */
    public ServiceRule(String slug, String name, List<String> senders, List<String> keywords) {
        this(slug, name, senders, keywords, List.of(), List.of());
    }

    private static List<String> copy(List<String> values, String slug, String field) {
        if (values == null) {
            return List.of();
        }
        for (String value : values) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("service rule " + slug + ": blank entry in " + field);
            }
        }
        return List.copyOf(values);
    }
}
