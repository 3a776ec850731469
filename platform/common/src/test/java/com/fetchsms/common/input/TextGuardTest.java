package com.fetchsms.common.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.error.ApiException;

class TextGuardTest {

    @Test
    void ordinaryTextInAnyScriptPassesUnchanged() {
        String text = "Ваш код: 90311 \uD83D\uDD12 «ok» — 東京";
        assertSame(text, TextGuard.singleLine(text, "name", 100));
        assertNull(TextGuard.singleLine(null, "name", 100));
        assertEquals("", TextGuard.singleLine("", "name", 100));
    }

    @Test
    void aNulIsA400NamingTheField() {
        ApiException e = assertThrows(ApiException.class, () -> TextGuard.singleLine("prod\u0000", "name", 100));
        assertEquals(400, e.status());
        assertEquals("'name' must not contain control characters", e.detail());
    }

    @Test
    void everyC0AndC1ControlAndDelIsRefusedInOneLineFields() {
        for (char c = 0; c < 0x20; c++) {
            assertEquals(TextGuard.Problem.CONTROL_CHARACTER, TextGuard.problem("a" + c + "b", false, 100),
                    "U+" + Integer.toHexString(c));
        }
        for (char c = 0x7F; c <= 0x9F; c++) {
            assertEquals(TextGuard.Problem.CONTROL_CHARACTER, TextGuard.problem("a" + c + "b", false, 100),
                    "U+" + Integer.toHexString(c));
        }
        assertNull(TextGuard.problem("a\u00A0b", false, 100), "no-break space is text");
    }

    @Test
    void multiLineFieldsTakeTabAndLineBreaksButNoOtherControl() {
        assertEquals("line one\r\n\tline two", TextGuard.multiLine("line one\r\n\tline two", "reason", 100));
        assertEquals("'reason' must not contain control characters",
                assertThrows(ApiException.class, () -> TextGuard.multiLine("a\u0000", "reason", 100)).detail());
        assertEquals("'name' must not contain control characters",
                assertThrows(ApiException.class, () -> TextGuard.singleLine("a\nb", "name", 100)).detail());
    }

    @Test
    void aLoneSurrogateEitherHalfIsA400NamingTheField() {
        for (String broken : new String[]{"\uD800", "a\uD800b", "a\uDC00", "\uDE00\uD83D", "end\uD83D"}) {
            ApiException e = assertThrows(ApiException.class, () -> TextGuard.singleLine(broken, "text", 100),
                    broken);
            assertEquals(400, e.status());
            assertEquals("'text' is not valid Unicode text (a lone UTF-16 surrogate)", e.detail());
        }
    }

    @Test
    void lengthCountsCharactersNotUtf16UnitsAndOverLongIsA422() {
        String emoji = "\uD83D\uDE80".repeat(10);
        assertSame(emoji, TextGuard.singleLine(emoji, "name", 10));
        ApiException e = assertThrows(ApiException.class, () -> TextGuard.singleLine(emoji + "x", "name", 10));
        assertEquals(422, e.status());
        assertEquals("'name' is longer than 10 characters", e.detail());
    }

    @Test
    void sanitizingRemovesControlsAndReplacesBrokenSurrogatesKeepingPairs() {
        assertEquals("Snapchat code 530118", TextGuard.sanitize("Snap\u0000chat code\u0085 530118\u0007", false));
        assertEquals("a\nb\tc", TextGuard.sanitize("a\nb\tc\u0000", true));
        assertEquals("ab", TextGuard.sanitize("a\nb", false));
        assertEquals("x\uFFFDy\uD83D\uDE80\uFFFD", TextGuard.sanitize("x\uDC00y\uD83D\uDE80\uD83D", false));
        String clean = "nothing to do";
        assertSame(clean, TextGuard.sanitize(clean, false));
        assertNull(TextGuard.sanitize(null, true));
    }

    @Test
    void timestampsAreIso8601WithOffsetWithinStorableYears() {
        assertEquals(Instant.parse("2026-11-22T08:15:30Z"),
                TextGuard.timestamp(" 2026-11-22T10:15:30+02:00 ", "received_at", null, null));
        assertNull(TextGuard.timestamp("  ", "received_at", null, null));
        for (String bad : new String[]{"yesterday", "2026-11-22T08:15:30", "2026-02-30T00:00:00Z",
                "2026-11-22T08:15:30+25:00", "2026\u0000-11-22T08:15:30Z"}) {
            ApiException e = assertThrows(ApiException.class,
                    () -> TextGuard.timestamp(bad, "received_at", null, null), bad);
            assertEquals(422, e.status());
            assertEquals("'received_at' must be an ISO-8601 time with offset, e.g. 2026-11-22T08:15:30Z",
                    e.detail());
        }
        ApiException absurd = assertThrows(ApiException.class,
                () -> TextGuard.timestamp("+999999999-12-31T23:59:59Z", "received_at", null, null));
        assertEquals(422, absurd.status());
        assertEquals("'received_at' must not be later than 9999-12-31T23:59:59Z", absurd.detail());
        assertEquals("'sent_at' must not be earlier than 2000-01-01T00:00:00Z",
                assertThrows(ApiException.class, () -> TextGuard.timestamp("1999-12-31T23:59:59Z", "sent_at",
                        Instant.parse("2000-01-01T00:00:00Z"), null)).detail());
    }
}
