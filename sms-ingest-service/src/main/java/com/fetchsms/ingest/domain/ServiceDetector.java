package com.fetchsms.ingest.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides which catalog service an inbound SMS is for, from its sender and text, using {@link ServiceRule}s.
 *
 * <p>
 * The verification and rental services use the answer to release a code only to a customer who bought the number
 * for that service, so the detector prefers the strongest evidence and is deterministic:
 * <ol>
 * <li><b>Sender.</b> If the sender id matches the senders of exactly one rule, that rule wins, whatever the text says:
 * a sender id is set by the service itself and cannot be mentioned by accident. Alphanumeric ids compare ignoring
 * case and everything but letters and digits ({@code "WHATSAPP"}, {@code "Cash App"}); short codes compare exactly;
 * phone numbers compare by digits, a national number matching its international form when both have at least 10
 * digits ({@code "4155550100"} = {@code "+1 (415) 555-0100"}).</li>
 * <li><b>Shared sender.</b> If several rules list the sender (Meta sends Facebook and Instagram codes from 32665), the
 * keyword step below chooses among them; without any keyword the rule listed first wins.</li>
 * <li><b>Keywords.</b> Otherwise the rule whose keyword occurs <em>earliest</em> in the text wins. Services put their
 * own name first ("[TikTok] …", "Your Uber code …", "G-123456 is your Google …") and name other brands only later
 * ("… even if they say they're from Uber or Lyft", "Venmo is a service of PayPal"), so the first mention is the
 * sender's brand. Equal positions go to the longer keyword, then to the rule listed first.</li>
 * </ol>
 * Keywords match whole words (Unicode letters, marks and digits form words), ignoring case unless listed as
 * case-sensitive, after the {@code SmsNormalizer} normalisation (NFKC, bidi marks removed). Scripts written without
 * spaces (Han, kana, Hangul, Thai, Lao, Khmer, Myanmar) do not separate words, so a keyword edge in such a script needs
 * no word boundary and a Latin keyword may touch them ({@code 在WhatsApp上}, {@code WhatsApp를}). A keyword inside one of
 * its rule's excluded phrases does not count.
 *
 * <p>
 * Instances are immutable and thread-safe.
 */
public final class ServiceDetector {

    private static final String NO_SPACE_SCRIPTS = "\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}\\p{IsHangul}\\p{IsThai}"
            + "\\p{IsLao}\\p{IsKhmer}\\p{IsMyanmar}";
    private static final String WORD_CHAR = "[\\p{L}\\p{M}\\p{N}&&[^" + NO_SPACE_SCRIPTS + "]]";
    private static final Pattern NO_SPACE_CHAR = Pattern.compile("[" + NO_SPACE_SCRIPTS + "]");
    private static final Pattern NUMBER_PUNCTUATION = Pattern.compile("[\\s+().\\-/]");
    private static final Pattern ALL_DIGITS = Pattern.compile("\\d+");
    private static final int MIN_DIGITS_FOR_SUFFIX_MATCH = 10;

    private final List<CompiledRule> rules;

    /**
     * @param rules
     *            the rules, in priority order for ties (see {@link ServiceRules#defaults()})
     */
    public ServiceDetector(List<ServiceRule> rules) {
        Objects.requireNonNull(rules, "rules");
        List<CompiledRule> compiled = new ArrayList<>(rules.size());
        for (ServiceRule rule : rules) {
            compiled.add(new CompiledRule(Objects.requireNonNull(rule, "rule")));
        }
        this.rules = List.copyOf(compiled);
    }

    /**
     * Detects the service of one SMS.
     *
     * @param sender
     *            the sender id as the gateway reported it (alphanumeric id, short code or number); may be {@code null}
     * @param text
     *            the decoded text; may be {@code null}
     * @return the matching rule, or empty when neither the sender nor the text identifies a known service
     */
    public Optional<ServiceRule> detect(String sender, String text) {
        Sender from = Sender.of(sender);
        List<CompiledRule> bySender = new ArrayList<>();
        if (from != null) {
            for (CompiledRule rule : rules) {
                if (rule.sentBy(from)) {
                    bySender.add(rule);
                }
            }
        }
        if (bySender.size() == 1) {
            return Optional.of(bySender.get(0).rule);
        }
        String normalized = SmsNormalizer.normalize(text);
        List<CompiledRule> pool = bySender.isEmpty() ? rules : bySender;
        CompiledRule best = null;
        Mention bestMention = null;
        for (CompiledRule rule : pool) {
            Mention mention = rule.firstMention(normalized);
            if (mention != null && (bestMention == null || mention.start < bestMention.start
                    || (mention.start == bestMention.start && mention.length > bestMention.length))) {
                best = rule;
                bestMention = mention;
            }
        }
        if (best != null) {
            return Optional.of(best.rule);
        }
        return bySender.isEmpty() ? Optional.empty() : Optional.of(bySender.get(0).rule);
    }

    /** A keyword occurrence: where it starts in the normalised text and how long it is. */
    private static final class Mention {
        final int start;
        final int length;

        Mention(int start, int length) {
            this.start = start;
            this.length = length;
        }
    }

    /** A sender id in comparable form: digits of a number, or the lower-cased letters and digits of an id. */
    private static final class Sender {
        final boolean numeric;
        final String key;

        private Sender(boolean numeric, String key) {
            this.numeric = numeric;
            this.key = key;
        }

        static Sender of(String raw) {
            if (raw == null || raw.isBlank()) {
                return null;
            }
            String normalized = SmsNormalizer.normalize(raw).trim();
            String digits = NUMBER_PUNCTUATION.matcher(normalized).replaceAll("");
            if (!digits.isEmpty() && ALL_DIGITS.matcher(digits).matches()) {
                return new Sender(true, digits);
            }
            StringBuilder key = new StringBuilder();
            normalized.toLowerCase(Locale.ROOT).codePoints().filter(Character::isLetterOrDigit)
                    .forEach(key::appendCodePoint);
            return key.length() == 0 ? null : new Sender(false, key.toString());
        }

        boolean sameAs(Sender other) {
            if (numeric != other.numeric) {
                return false;
            }
            if (key.equals(other.key)) {
                return true;
            }
            if (!numeric || Math.min(key.length(), other.key.length()) < MIN_DIGITS_FOR_SUFFIX_MATCH) {
                return false;
            }
            return key.length() > other.key.length() ? key.endsWith(other.key) : other.key.endsWith(key);
        }
    }

    private static final class CompiledRule {
        final ServiceRule rule;
        final List<Sender> senders = new ArrayList<>();
        final List<Pattern> keywords = new ArrayList<>();
        final List<Pattern> excluded = new ArrayList<>();

        CompiledRule(ServiceRule rule) {
            this.rule = rule;
            for (String sender : rule.senders()) {
                Sender parsed = Sender.of(sender);
                if (parsed != null) {
                    senders.add(parsed);
                }
            }
            int insensitive = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
            rule.keywords().forEach(k -> keywords.add(phrase(k, insensitive)));
            rule.caseSensitiveKeywords().forEach(k -> keywords.add(phrase(k, 0)));
            rule.excludedPhrases().forEach(k -> excluded.add(phrase(k, insensitive)));
        }

        boolean sentBy(Sender sender) {
            for (Sender own : senders) {
                if (own.sameAs(sender)) {
                    return true;
                }
            }
            return false;
        }

        Mention firstMention(String text) {
            if (text.isEmpty() || keywords.isEmpty()) {
                return null;
            }
            List<int[]> excludedSpans = new ArrayList<>();
            for (Pattern phrase : excluded) {
                Matcher m = phrase.matcher(text);
                while (m.find()) {
                    excludedSpans.add(new int[]{m.start(), m.end()});
                }
            }
            Mention first = null;
            for (Pattern keyword : keywords) {
                Matcher m = keyword.matcher(text);
                while (m.find()) {
                    if (inside(excludedSpans, m.start(), m.end())) {
                        continue;
                    }
                    int length = m.end() - m.start();
                    if (first == null || m.start() < first.start
                            || (m.start() == first.start && length > first.length)) {
                        first = new Mention(m.start(), length);
                    }
                    break;
                }
            }
            return first;
        }

        private static boolean inside(List<int[]> spans, int start, int end) {
            for (int[] span : spans) {
                if (start >= span[0] && end <= span[1]) {
                    return true;
                }
            }
            return false;
        }

        /** Compiles a keyword or phrase: words separated by any white space, whole-word where the script has words. */
        private static Pattern phrase(String keyword, int flags) {
            String normalized = SmsNormalizer.normalize(keyword).trim();
            StringBuilder regex = new StringBuilder();
            int first = normalized.codePointAt(0);
            int last = normalized.codePointBefore(normalized.length());
            if (needsBoundary(first)) {
                regex.append("(?<!").append(WORD_CHAR).append(')');
            }
            String[] words = normalized.split("\\s+");
            for (int i = 0; i < words.length; i++) {
                if (i > 0) {
                    regex.append("\\s+");
                }
                regex.append(Pattern.quote(words[i]));
            }
            if (needsBoundary(last)) {
                regex.append("(?!").append(WORD_CHAR).append(')');
            }
            return Pattern.compile(regex.toString(), flags);
        }

        private static boolean needsBoundary(int codePoint) {
            return Character.isLetterOrDigit(codePoint)
                    && !NO_SPACE_CHAR.matcher(new String(Character.toChars(codePoint))).matches();
        }
    }
}
