package com.fetchsms.ingest.domain;

import java.text.Normalizer;

/**
 * The one text normalisation that service detection and code extraction share, so that a keyword in
 * {@code detection/services.json} and the SMS text are compared in the same form.
 *
 * <p>
 * NFKC (full-width letters and digits become ASCII, no-break spaces become spaces), then: every Unicode decimal digit
 * (Arabic-Indic {@code ٥}, Persian {@code ۵}, Devanagari {@code ५}, …) becomes its ASCII digit; invisible format
 * characters (bidi marks such as U+200E, zero-width joiners and non-joiners, soft hyphens, BOM) are removed; the
 * hyphen characters U+2010, U+2011 and U+2212 become {@code -}; CR LF and CR become LF and other white space a space.
 */
final class SmsNormalizer {

    private SmsNormalizer() {
    }

    static String normalize(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(nfkc.length());
        int i = 0;
        while (i < nfkc.length()) {
            int cp = nfkc.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.FORMAT) {
                continue;
            }
            if (type == Character.DECIMAL_DIGIT_NUMBER) {
                out.append((char) ('0' + Character.digit(cp, 10)));
            } else if (cp == 0x2010 || cp == 0x2011 || cp == 0x2212) {
                out.append('-');
            } else if (cp == '\r') {
                out.append('\n');
                if (i < nfkc.length() && nfkc.charAt(i) == '\n') {
                    i++;
                }
            } else if (cp != '\n' && (Character.isWhitespace(cp) || Character.isSpaceChar(cp))) {
                out.append(' ');
            } else {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }
}
