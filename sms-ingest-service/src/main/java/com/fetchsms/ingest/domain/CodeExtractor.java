package com.fetchsms.ingest.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the one-time code in the text of an inbound SMS.
 *
 * <p>
 * Customers get the code, not the message, so a wrong code is worse than none. The extractor works on the
 * normalised (see {@code SmsNormalizer}) text (NFKC, so full-width digits are ASCII; every Unicode decimal digit, e.g.
 * Arabic-Indic {@code ٥٥٣٢} or Persian {@code ۶۲۸۴۱}, becomes ASCII, because the code is typed into apps that expect
 * ASCII; bidi marks removed) and returns the code in that form. It proceeds in this order:
 * <ol>
 * <li><b>Domain-bound code.</b> A line {@code @example.com #123456} (the WebOTP / Apple autofill format) is the
 * code.</li>
 * <li><b>Masking.</b> Things that look like codes but are not are blanked out: URLs and domains (a link often repeats
 * the code), e-mail addresses, phone numbers ({@code +1 (415) 555-0142}, {@code 1-800-935-9935}), dates
 * ({@code 2026-11-22}, {@code 12/25}), times ({@code 10:30}), amounts ({@code $25.00}, {@code 1,000},
 * {@code 150 USD}), percentages, the opt-out short code in "Reply STOP to 89203", and the Android SMS Retriever app
 * hash (the 11-character trailer like {@code FA+9qCX9VSu}).</li>
 * <li><b>Candidates.</b> A run of 4–8 digits; two groups of 3+3 or 4+4 digits joined by a space or hyphen, kept
 * exactly as shown ({@code 821-193}, {@code 123 456}); 4–8 upper-case letters and digits with at least one of each
 * ({@code A7K9QX}), or two such groups of 3–4 joined by a hyphen ({@code 7HJ-2KQ}); 5–8 upper-case letters only
 * directly after a code word ({@code Steam Guard code: HMQTV}). A letter prefix before a hyphen is not part of the
 * code ({@code G-123456} → {@code 123456}, {@code FB-12345} → {@code 12345}). Longer digit runs and chains of three or
 * more groups (card, tracking and order numbers) are not candidates. A candidate is dropped after {@code #}, "order",
 * "ref", "booking" and the like, after "ending in", "last 4" or {@code ****} (card digits), before a unit
 * ("10 minutes", "5 GB", "100 points"), and in a sentence that advertises ("25% off", "at checkout", "promo").</li>
 * <li><b>Anchored candidates.</b> A candidate is anchored when a code word ("code", "passcode", "OTP", "PIN", "key",
 * "password", "código", "codice", "kod…", "код", "رمز", "کد", "कोड", "验证码", "認証番号", "コード", "인증번호", "รหัส",
 * compounds like "Sicherheitscode", …) or a verification word ("verify", "confirm", "подтверждения", "xác minh", …)
 * stands within the same sentence at most 32 characters before it or 48 characters after it ("123456 is your Google
 * verification code"). Code words after "promo", "zip", "QR", "gift", … and before "number" do not anchor. The
 * anchored candidate nearest to its anchor wins (digits before letter codes, then the earlier one).</li>
 * <li><b>Fallback.</b> Without an anchored candidate, a lone plausible number is the code: exactly one distinct 4–8
 * digit (or 3+3 / 4+4 grouped) candidate that is not a year 1900–2099.</li>
 * </ol>
 * Otherwise the result is empty: marketing, delivery notices and login alerts carry no code.
 */
public final class CodeExtractor {

    private static final int MAX_GAP_BEFORE = 32;
    private static final int MAX_GAP_AFTER = 48;
    private static final int CONTEXT = 30;
    private static final int CI = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

    private static final Pattern DOMAIN_BOUND = Pattern
            .compile("(?:^|\\s)@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+\\s+#([A-Za-z0-9]{4,12})(?=\\s|$)");

    private static final String TLD = "com|net|org|edu|gov|io|me|co|ly|gl|to|us|app|gg|tv|ai|info|biz|link|page|sh|cc"
            + "|ru|cn|jp|kr|de|br|in|uk|fr|es|it|pl|tr|id|vn|th|mx|ca|au|nl|se|ch|at|be|eu|pt|ar|cl|ua|by|kz";

    private static final List<Pattern> MASKS = List.of(
            Pattern.compile("(?i)\\b(?:https?://|www\\.)\\S+"),
            Pattern.compile("[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+"),
            Pattern.compile("(?i)(?<![\\w@.])(?:[a-z0-9-]*[a-z][a-z0-9-]*\\.)+(?:" + TLD + ")(?![\\w])(?:/\\S*)?"),
            Pattern.compile("\\+\\d[\\d ().-]{6,}\\d"),
            Pattern.compile("(?<![\\d-])(?:1[ .-]?)?(?:\\(\\d{3}\\)[ .-]?|\\d{3}[ .-])\\d{3}[ .-]\\d{4}(?![\\d-])"),
            Pattern.compile("(?<![\\d-])\\d{3}-\\d{4}(?![\\d-])"),
            Pattern.compile("(?<![\\d/-])\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}(?![\\d/-])"),
            Pattern.compile("(?<![\\d/-])\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{2,4}(?![\\d/-])"),
            Pattern.compile("(?<![\\d/])\\d{1,2}/\\d{1,2}(?![\\d/])"),
            Pattern.compile("\\d{2,4}\\s?年"),
            Pattern.compile("(?<!\\d)\\d{1,2}:\\d{2}(?::\\d{2})?(?!\\d)"),
            Pattern.compile("[$€£¥₹₽₩]\\s?\\d[\\d,.]*"),
            Pattern.compile("\\d[\\d,.]*\\s?(?:[$€£¥₹₽₩元円원]|(?:usd|usdc|usdt|eur|gbp|btc|eth|rub|brl|mxn|inr|dollars?"
                    + "|pesos|reais|руб\\p{L}*)(?!\\p{L}))", CI),
            Pattern.compile("(?<![\\d.,])\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?(?![\\d,])"),
            Pattern.compile("(?<![\\d.])\\d+\\.\\d+(?![\\d.])"),
            Pattern.compile("\\d+(?:[.,]\\d+)?\\s?%"));

    private static final Pattern OPT_OUT = Pattern.compile(
            "\\b(?:stop|help|reply|text|txt|send|unsubscribe)\\b[^.\\n]{0,40}?\\bto\\s+(\\d{3,6})\\b", CI);
    private static final Pattern APP_HASH = Pattern.compile("(?:^|\\s)([A-Za-z0-9+/]{11})\\s*$");

    private static final Pattern NUMBER_CHAIN = Pattern.compile("(?<![0-9A-Za-z])\\d+(?:[ -]\\d+)*(?![0-9A-Za-z])");
    private static final Pattern ALNUM_GROUPED = Pattern
            .compile("(?<![0-9A-Za-z-])([A-Z0-9]{3,4})-([A-Z0-9]{3,4})(?![0-9A-Za-z-])");
    private static final Pattern ALNUM = Pattern.compile("(?<![0-9A-Za-z-])[A-Z0-9]{4,8}(?![0-9A-Za-z-])");
    private static final Pattern HAS_DIGIT = Pattern.compile(".*\\d.*");
    private static final Pattern HAS_LETTER = Pattern.compile(".*[A-Z].*");
    private static final Pattern LETTERS_ONLY = Pattern.compile("[A-Z]+");
    private static final Pattern DIGITS_ONLY = Pattern.compile("\\d+");

    private static final String WORD = "[\\p{L}\\p{M}\\p{N}]";
    /** Code words in scripts that separate words by spaces; whole words. */
    private static final Pattern CODE_WORDS = Pattern.compile("(?<!" + WORD + ")(?:\\p{L}*(?:cod|kod|cód)\\p{L}*"
            + "|otp|pin|key|password|passwort|contraseña|senha|clave|token|mot de passe|şifre\\p{L}*|sifre\\p{L}*"
            + "|parola"
            + "|hasło|mã|код\\p{L}*|парол\\p{L}*|(?:ال)?رمز|(?:ال)?كود|کد|ה?קוד|कोड|ओटीपी)(?!" + WORD + ")", CI);
    /** Verification words in scripts that separate words by spaces; whole words. */
    private static final Pattern VERIFY_WORDS = Pattern.compile("(?<!" + WORD + ")(?:verif\\p{L}*|confirm\\p{L}*"
            + "|bestätig\\p{L}*|xác minh|xác nhận|xác thực|doğrula\\p{L}*|verifikasi|konfirmasi|autentica\\p{L}*"
            + "|подтвержд\\p{L}*|підтвердж\\p{L}*|(?:ال)?تحقق|(?:ال)?تأكيد|تأیید|تایید|אימות|सत्यापन)(?!" + WORD + ")",
            CI);
    /** Code and verification words in scripts written without spaces; anywhere. */
    private static final Pattern UNSPACED_WORDS = Pattern.compile("验证码|驗證碼|校验码|校驗碼|动态码|動態碼|确认码|確認碼|认证码"
            + "|認證碼|代码|代碼|認証番号|認証コード|確認コード|確認番号|暗証番号|ワンタイムパスワード|パスコード|コード|인증\\s?번호|인증\\s?코드"
            + "|확인\\s?코드|보안\\s?코드|코드|รหัส|验证|驗證|認証|인증|ยืนยัน");
    private static final Pattern NOT_AN_ANCHOR_BEFORE = Pattern.compile("(?:promo\\p{L}*|discount|coupon|cupón|cupom"
            + "|voucher|gift|zip|postal|area|country|qr|bar|referral|invite|invitation|tracking|dress)[\\s-]*\\p{L}*$",
            CI);
    /** A number named by a non-OTP code word or a reference number: "zip code 94103", "confirmation number is 4821". */
    private static final Pattern BEFORE_NON_OTP_NAME = Pattern.compile("(?:(?:promo\\p{L}*|discount|coupon|cupón"
            + "|cupom|voucher|gift|zip|postal|area|country|qr|bar|referral|invite|invitation|tracking|dress)[\\s-]*"
            + "\\p{L}*|(?<!\\p{L})(?:confirmation|reference|booking|order|account|member|phone|tracking|case|ticket"
            + "|policy|customer)"
            + "\\s+(?:number|no\\.|nr\\.?))\\s*(?:is|:)?\\s*$", CI);
    private static final Pattern NOT_AN_ANCHOR_AFTER = Pattern.compile("^\\s*(?:number|no\\.|nr\\.?|#)", CI);

    private static final Pattern TIGHT_GAP = Pattern
            .compile("[\\s:=\\-]*(?:is|es|é|est|ist|lautet|равен|это)?[\\s:=]*", CI);
    private static final Pattern BEFORE_REFERENCE = Pattern.compile("(?:#|№|n[º°]|(?<!\\p{L})(?:order|ref|reference"
            + "|booking|reservation|invoice|ticket|tracking|account|acct|id|case|flight|room|table|gate|seat|member"
            + "|customer|policy|claim|transaction|txn|serial|model|item|lot|batch|plate|unit|apt|suite|box)"
            + "(?:\\s*(?:no\\.?|number|num|#))?\\s*[:.]?)\\s*[(\\[]?\\s*$", CI);
    private static final Pattern BEFORE_CARD = Pattern.compile("(?:(?<!\\p{L})(?:ending(?:\\s+(?:in|with))?"
            + "|ends\\s+(?:in|with)|last\\s+(?:4|four)(?:\\s+digits)?|terminada\\s+en|card)|[*•·]{2,}|[xX]{2,})"
            + "\\s*[:#]?\\s*$",
            CI);
    private static final Pattern AFTER_UNIT = Pattern.compile("^\\s?(?:min|mins|minute|minutes|minuto|minutos|minuti"
            + "|minuten|phút|menit|dakika|dk|hours?|hrs?|days?|sec|secs|seconds?|gb|mb|kb|tb|pts|points|miles|km|kg"
            + "|lbs?|items?|shares?|мин\\p{L}*|час\\p{L}*|дн\\p{L}*)(?!\\p{L})|^\\s?(?:分钟|分|秒|분|초|時間|%)", CI);
    private static final Pattern ADVERTISING = Pattern.compile("%\\s*off|(?<!\\p{L})off\\s+(?:your|everything|all"
            + "|select)|checkout|(?<!\\p{L})promo|coupon|discount|voucher|(?<!\\p{L})sale(?!\\p{L})", CI);

    private CodeExtractor() {
    }

    /**
     * Extracts the one-time code.
     *
     * @param text
     *            the decoded SMS text; {@code null} or blank gives empty
     * @return the code as shown in the (normalised) text, separators kept and a letter prefix dropped, or empty
     */
    public static Optional<String> extract(String text) {
        String t = SmsNormalizer.normalize(text);
        if (t.isBlank()) {
            return Optional.empty();
        }
        Matcher bound = DOMAIN_BOUND.matcher(t);
        if (bound.find()) {
            return Optional.of(bound.group(1));
        }
        boolean[] masked = mask(t);
        List<Anchor> anchors = anchors(t);
        List<Candidate> candidates = new ArrayList<>();
        for (Candidate c : candidates(t)) {
            if (!isMasked(masked, c.start, c.end) && !discredited(t, c)) {
                candidates.add(c);
            }
        }
        Candidate best = null;
        int bestGap = Integer.MAX_VALUE;
        for (Candidate c : candidates) {
            int gap = anchorGap(t, c, anchors);
            if (gap < 0) {
                continue;
            }
            if (best == null || gap < bestGap || (gap == bestGap && c.kind.rank < best.kind.rank)) {
                best = c;
                bestGap = gap;
            }
        }
        if (best != null) {
            return Optional.of(best.value(t));
        }
        Set<String> lone = new LinkedHashSet<>();
        for (Candidate c : candidates) {
            if ((c.kind == Kind.DIGITS || c.kind == Kind.GROUPED_DIGITS) && !looksLikeYear(t, c)) {
                lone.add(c.value(t));
            }
        }
        return lone.size() == 1 ? Optional.of(lone.iterator().next()) : Optional.empty();
    }

    private enum Kind {
        DIGITS(0),
        GROUPED_DIGITS(0),
        ALNUM(1),
        GROUPED_ALNUM(1),
        LETTERS(2);

        final int rank;

        Kind(int rank) {
            this.rank = rank;
        }
    }

    private static final class Candidate {
        final int start;
        final int end;
        final Kind kind;

        Candidate(int start, int end, Kind kind) {
            this.start = start;
            this.end = end;
            this.kind = kind;
        }

        String value(String t) {
            return t.substring(start, end);
        }
    }

    private static final class Anchor {
        final int start;
        final int end;
        final boolean codeWord;

        Anchor(int start, int end, boolean codeWord) {
            this.start = start;
            this.end = end;
            this.codeWord = codeWord;
        }
    }

    private static boolean[] mask(String t) {
        boolean[] masked = new boolean[t.length()];
        for (Pattern p : MASKS) {
            Matcher m = p.matcher(t);
            while (m.find()) {
                fill(masked, m.start(), m.end());
            }
        }
        Matcher optOut = OPT_OUT.matcher(t);
        while (optOut.find()) {
            fill(masked, optOut.start(1), optOut.end(1));
        }
        Matcher hash = APP_HASH.matcher(t);
        if (hash.find()) {
            fill(masked, hash.start(1), hash.end(1));
        }
        return masked;
    }

    private static void fill(boolean[] masked, int from, int to) {
        for (int i = from; i < to; i++) {
            masked[i] = true;
        }
    }

    private static boolean isMasked(boolean[] masked, int from, int to) {
        for (int i = from; i < to; i++) {
            if (masked[i]) {
                return true;
            }
        }
        return false;
    }

    private static List<Candidate> candidates(String t) {
        List<Candidate> out = new ArrayList<>();
        Matcher chain = NUMBER_CHAIN.matcher(t);
        while (chain.find()) {
            if (joinedToNumber(t, chain.start(), chain.end())) {
                continue;
            }
            numberChain(t, chain.start(), chain.end(), out);
        }
        Matcher grouped = ALNUM_GROUPED.matcher(t);
        while (grouped.find()) {
            String first = grouped.group(1);
            String second = grouped.group(2);
            String all = first + second;
            boolean prefixed = LETTERS_ONLY.matcher(first).matches() && DIGITS_ONLY.matcher(second).matches();
            if (HAS_DIGIT.matcher(all).matches() && HAS_LETTER.matcher(all).matches() && !prefixed) {
                out.add(new Candidate(grouped.start(), grouped.end(), Kind.GROUPED_ALNUM));
            }
        }
        Matcher alnum = ALNUM.matcher(t);
        while (alnum.find()) {
            String token = alnum.group();
            if (!HAS_LETTER.matcher(token).matches()) {
                continue;
            }
            if (HAS_DIGIT.matcher(token).matches()) {
                out.add(new Candidate(alnum.start(), alnum.end(), Kind.ALNUM));
            } else if (token.length() >= 5) {
                out.add(new Candidate(alnum.start(), alnum.end(), Kind.LETTERS));
            }
        }
        return out;
    }

    /**
     * Digits glued to a longer number by punctuation: "1.5", "10:30", "1/2", "12,000". A comma joins only a thousands
     * group of exactly three digits, because NFKC turns the full-width comma of CJK text into {@code ,}: in
     * "验证码是：482913，5分钟" the code is followed by a comma and a new clause, not by decimals.
     */
    private static boolean joinedToNumber(String t, int start, int end) {
        boolean before = start >= 2 && Character.isDigit(t.charAt(start - 2))
                && (".:/".indexOf(t.charAt(start - 1)) >= 0 || (t.charAt(start - 1) == ',' && end - start == 3));
        boolean after = end + 1 < t.length() && Character.isDigit(t.charAt(end + 1))
                && (".:/".indexOf(t.charAt(end)) >= 0 || (t.charAt(end) == ',' && thousandsGroupAt(t, end + 1)));
        return before || after;
    }

    private static boolean thousandsGroupAt(String t, int from) {
        int i = from;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        return i - from == 3;
    }

    /**
     * Splits a chain of digit groups joined by spaces or hyphens into candidates: the whole chain when it is 3+3 or
     * 4+4; otherwise each stand-alone group of 4–8 digits, unless the chain is a long number written in groups (three
     * or more groups of 3+ digits: card, tracking, order numbers) or the group is part of a hyphenated number.
     */
    private static void numberChain(String t, int start, int end, List<Candidate> out) {
        List<int[]> groups = new ArrayList<>();
        List<Character> separators = new ArrayList<>();
        int i = start;
        while (i < end) {
            int j = i;
            while (j < end && Character.isDigit(t.charAt(j))) {
                j++;
            }
            groups.add(new int[]{i, j});
            if (j < end) {
                separators.add(t.charAt(j));
            }
            i = j + 1;
        }
        if (groups.size() == 2 && isPair(groups.get(0), groups.get(1))) {
            out.add(new Candidate(start, end, Kind.GROUPED_DIGITS));
            return;
        }
        int longGroups = 0;
        for (int[] g : groups) {
            if (g[1] - g[0] >= 3) {
                longGroups++;
            }
        }
        if (longGroups >= 3) {
            return;
        }
        for (int k = 0; k < groups.size(); k++) {
            boolean hyphenBefore = k > 0 && separators.get(k - 1) == '-';
            boolean hyphenAfter = k < separators.size() && separators.get(k) == '-';
            if (hyphenBefore || hyphenAfter) {
                boolean pairWithNext = hyphenAfter && k + 1 < groups.size() && isPair(groups.get(k), groups.get(k + 1))
                        && (k + 1 >= separators.size() || separators.get(k + 1) != '-') && !hyphenBefore;
                if (pairWithNext) {
                    out.add(new Candidate(groups.get(k)[0], groups.get(k + 1)[1], Kind.GROUPED_DIGITS));
                    k++;
                }
                continue;
            }
            int length = groups.get(k)[1] - groups.get(k)[0];
            if (length >= 4 && length <= 8) {
                out.add(new Candidate(groups.get(k)[0], groups.get(k)[1], Kind.DIGITS));
            }
        }
    }

    private static boolean isPair(int[] a, int[] b) {
        int la = a[1] - a[0];
        int lb = b[1] - b[0];
        return la == lb && (la == 3 || la == 4);
    }

    /** Whether the context says the candidate is a reference, card digits, a quantity or part of an advert. */
    private static boolean discredited(String t, Candidate c) {
        String before = t.substring(Math.max(0, c.start - CONTEXT), c.start);
        if (BEFORE_REFERENCE.matcher(before).find() || BEFORE_CARD.matcher(before).find()
                || BEFORE_NON_OTP_NAME.matcher(before).find()) {
            return true;
        }
        if (AFTER_UNIT.matcher(t.substring(c.end, Math.min(t.length(), c.end + 12))).find()) {
            return true;
        }
        return ADVERTISING.matcher(t.substring(sentenceStart(t, c.start), sentenceEnd(t, c.end))).find();
    }

    private static boolean looksLikeYear(String t, Candidate c) {
        if (c.kind != Kind.DIGITS || c.end - c.start != 4) {
            return false;
        }
        int year = Integer.parseInt(c.value(t));
        return year >= 1900 && year <= 2099;
    }

    private static List<Anchor> anchors(String t) {
        List<Anchor> out = new ArrayList<>();
        collect(t, CODE_WORDS, true, out);
        collect(t, VERIFY_WORDS, false, out);
        collect(t, UNSPACED_WORDS, true, out);
        return out;
    }

    private static void collect(String t, Pattern words, boolean codeWord, List<Anchor> out) {
        Matcher m = words.matcher(t);
        while (m.find()) {
            String before = t.substring(Math.max(0, m.start() - 16), m.end());
            if (NOT_AN_ANCHOR_BEFORE.matcher(before).find()) {
                continue;
            }
            if (NOT_AN_ANCHOR_AFTER.matcher(t.substring(m.end(), Math.min(t.length(), m.end() + 8))).find()) {
                continue;
            }
            out.add(new Anchor(m.start(), m.end(), codeWord));
        }
    }

    /**
     * The distance from the candidate to its nearest anchor in the same sentence (anchors after the candidate count
     * one more, so "code: 1234" beats "1234 … code"), or -1 when none is close enough.
     */
    private static int anchorGap(String t, Candidate c, List<Anchor> anchors) {
        int best = -1;
        for (Anchor a : anchors) {
            int gap;
            if (a.end <= c.start) {
                String between = t.substring(a.end, c.start);
                if (between.length() > MAX_GAP_BEFORE || hasBreak(between)) {
                    continue;
                }
                if (c.kind == Kind.LETTERS && !(a.codeWord && TIGHT_GAP.matcher(between).matches())) {
                    continue;
                }
                gap = between.length();
            } else if (c.end <= a.start) {
                if (c.kind == Kind.LETTERS) {
                    continue;
                }
                String between = t.substring(c.end, a.start);
                if (between.length() > MAX_GAP_AFTER || hasBreak(between)) {
                    continue;
                }
                gap = between.length() + 1;
            } else {
                continue;
            }
            if (best < 0 || gap < best) {
                best = gap;
            }
        }
        return best;
    }

    private static boolean hasBreak(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isBreak(s, i)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBreak(String s, int i) {
        char ch = s.charAt(i);
        if (ch == '\n' || ch == '!' || ch == '?' || ch == ';' || ch == '。') {
            return true;
        }
        return ch == '.' && (i + 1 >= s.length() || Character.isWhitespace(s.charAt(i + 1)));
    }

    private static int sentenceStart(String t, int from) {
        for (int i = from - 1; i >= 0; i--) {
            if (isBreak(t, i)) {
                return i + 1;
            }
        }
        return 0;
    }

    private static int sentenceEnd(String t, int from) {
        for (int i = from; i < t.length(); i++) {
            if (isBreak(t, i)) {
                return i;
            }
        }
        return t.length();
    }
}
