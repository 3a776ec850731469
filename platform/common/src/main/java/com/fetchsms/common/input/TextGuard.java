package com.fetchsms.common.input;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;

import com.fetchsms.common.error.ApiException;

/**
 * The one check every client-sent text and timestamp goes through before it reaches the database, an event or an
 * answer. PostgreSQL refuses NUL in text (SQLSTATE 22021), a lone half of a UTF-16 surrogate pair cannot be encoded
 * (in the database, in JSON events and answers), and other control characters have no business in a name, an address
 * or a reference. Each refusal is an {@link ApiException} whose detail names the field:
 * <ul>
 * <li>a control character (C0, DEL, C1; tab, line feed and carriage return are allowed in multi-line fields) or a
 * broken surrogate pair: <b>400</b> ({@code "'name' must not contain control characters"});</li>
 * <li>a value longer than the field takes, counted in characters (code points): <b>422</b>;</li>
 * <li>a timestamp that is not ISO-8601 with an offset, or outside what can be stored (before the year 1 or after
 * 9999): <b>422</b>.</li>
 * </ul>
 * {@code null} passes through: whether a field is required stays with its route.
 */
public final class TextGuard {

    /** The latest timestamp a client may send (PostgreSQL and ISO-8601 both take four-digit years). */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    /** The earliest timestamp a client may send. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    private TextGuard() {
    }

    /** What is wrong with a text, if anything. */
    public enum Problem {
        CONTROL_CHARACTER,
        BROKEN_UNICODE,
        TOO_LONG
    }

    /**
     * A one-line text (a name, an address, a reference): no control character, no broken surrogate pair, at most
     * {@code maxLength} characters. Answers the value unchanged.
     */
    public static String singleLine(String value, String field, int maxLength) {
        return check(value, field, false, maxLength);
    }

    /** Like {@link #singleLine}, but tab, line feed and carriage return are allowed (a message body, a reason). */
    public static String multiLine(String value, String field, int maxLength) {
        return check(value, field, true, maxLength);
    }

    /** A one-line text of any length (its route limits the length itself, or the value is only compared). */
    public static String singleLine(String value, String field) {
        return check(value, field, false, Integer.MAX_VALUE);
    }

    /** A multi-line text of any length (its route limits the length itself). */
    public static String multiLine(String value, String field) {
        return check(value, field, true, Integer.MAX_VALUE);
    }

    /** The first problem of {@code value}, or {@code null} when it may be stored as it is. */
    public static Problem problem(String value, boolean multiLine, int maxLength) {
        if (value == null) {
            return null;
        }
        int codePoints = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return Problem.BROKEN_UNICODE;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return Problem.BROKEN_UNICODE;
            } else if (isControl(c) && !(multiLine && (c == '\t' || c == '\n' || c == '\r'))) {
                return Problem.CONTROL_CHARACTER;
            }
            codePoints++;
        }
        return codePoints > maxLength ? Problem.TOO_LONG : null;
    }

    /** Whether {@code value} passes {@link #singleLine} (unlimited length). */
    public static boolean isClean(String value) {
        return problem(value, false, Integer.MAX_VALUE) == null;
    }

    /**
     * Removes control characters (C0, DEL, C1; keeping tab, line feed and carriage return when {@code keepLineBreaks})
     * and replaces each broken surrogate with U+FFFD. For text that is not the client's to fix, like the body of a
     * received SMS, where losing the message is worse than losing a character.
     */
    public static String sanitize(String value, boolean keepLineBreaks) {
        if (value == null) {
            return null;
        }
        StringBuilder clean = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String replacement = null;
            int width = 1;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    width = 2;
                } else {
                    replacement = "\uFFFD";
                }
            } else if (Character.isLowSurrogate(c)) {
                replacement = "\uFFFD";
            } else if (isControl(c) && !(keepLineBreaks && (c == '\t' || c == '\n' || c == '\r'))) {
                replacement = "";
            }
            if (replacement != null && clean == null) {
                clean = new StringBuilder(value.length()).append(value, 0, i);
            }
            if (clean != null) {
                if (replacement != null) {
                    clean.append(replacement);
                } else {
                    clean.append(value, i, i + width);
                }
            }
            i += width - 1;
        }
        return clean == null ? value : clean.toString();
    }

    /**
     * An ISO-8601 time with an offset ({@code 2026-11-22T08:15:30Z}), between {@code earliest} and {@code latest}
     * (each may be {@code null} for the widest range a client may send); {@code null} or blank is {@code null}.
     */
    public static Instant timestamp(String value, String field, Instant earliest, Instant latest) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeException | ArithmeticException e) {
            throw ApiException.unprocessable("'" + field + "' must be an ISO-8601 time with offset, e.g. "
                    + "2026-11-22T08:15:30Z");
        }
        return within(instant, field, earliest, latest);
    }

    /** A timestamp already parsed (by an adapter's own format): refused when outside what may be stored. */
    public static Instant within(Instant instant, String field, Instant earliest, Instant latest) {
        if (instant == null) {
            return null;
        }
        Instant from = earliest == null || earliest.isBefore(EARLIEST) ? EARLIEST : earliest;
        Instant to = latest == null || latest.isAfter(LATEST) ? LATEST : latest;
        if (instant.isBefore(from)) {
            throw ApiException.unprocessable("'" + field + "' must not be earlier than " + from);
        }
        if (instant.isAfter(to)) {
            throw ApiException.unprocessable("'" + field + "' must not be later than " + to);
        }
        return instant;
    }

    private static String check(String value, String field, boolean multiLine, int maxLength) {
        Problem problem = problem(value, multiLine, maxLength);
        if (problem == null) {
            return value;
        }
        throw switch (problem) {
            case CONTROL_CHARACTER -> ApiException.badRequest("'" + field + "' must not contain control characters");
            case BROKEN_UNICODE -> ApiException.badRequest(
                    "'" + field + "' is not valid Unicode text (a lone UTF-16 surrogate)");
            case TOO_LONG -> ApiException.unprocessable("'" + field + "' is longer than " + maxLength + " characters");
        };
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F);
    }
}
