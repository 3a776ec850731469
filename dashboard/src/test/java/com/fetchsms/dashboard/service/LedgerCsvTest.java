package com.fetchsms.dashboard.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fetchsms.dashboard.domain.LedgerEntry;

/** The ledger export: RFC 4180 lines a spreadsheet opens safely. */
class LedgerCsvTest {

    private static final String HEADER = "id,created_at,type,amount_cents,amount_usd,balance_after_cents,"
            + "balance_after_usd,ref\r\n";
    private static final String ID = "6f1c2b9e-3d4a-4c5b-8e7f-0a1b2c3d4e5f";
    private static final Instant AT = Instant.parse("2026-12-07T14:05:09Z");

    @Test
    void anEmptyLedgerIsTheHeaderLineAlone() {
        assertEquals(HEADER, LedgerCsv.write(List.of()));
    }

    @Test
    void eachMovementIsOneCrlfLineWithCentsAndDollars() {
        String csv = LedgerCsv.write(List.of(new LedgerEntry(ID, "deposit", 1250, 1250, "dep_1", AT),
                new LedgerEntry(ID, "debit", -80, 1170, "VRF-1", AT)));
        assertEquals(HEADER
                + ID + ",2026-12-07T14:05:09Z,deposit,1250,12.50,1250,12.50,dep_1\r\n"
                + ID + ",2026-12-07T14:05:09Z,debit,-80,-0.80,1170,11.70,VRF-1\r\n", csv);
        assertFalse(csv.replace("\r\n", "").contains("\n"), "every line break is CRLF");
    }

    @Test
    void dollarsHaveTwoDecimalsWhateverTheCents() {
        String csv = LedgerCsv.write(List.of(new LedgerEntry(ID, "refund", 5, 0, null, AT),
                new LedgerEntry(ID, "debit", -100000, -123456789, null, AT)));
        assertEquals(HEADER
                + ID + ",2026-12-07T14:05:09Z,refund,5,0.05,0,0.00,\r\n"
                + ID + ",2026-12-07T14:05:09Z,debit,-100000,-1000.00,-123456789,-1234567.89,\r\n", csv);
    }

    @Test
    void aValueWithACommaAQuoteOrALineBreakIsQuoted() {
        assertEquals("\"a,b\"", LedgerCsv.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", LedgerCsv.field("say \"hi\""));
        assertEquals("\"two\nlines\"", LedgerCsv.field("two\nlines"));
        assertEquals("\"two\r\nlines\"", LedgerCsv.field("two\r\nlines"));
        assertEquals("plain", LedgerCsv.field("plain"));
        assertEquals("", LedgerCsv.field(""));
        assertEquals("", LedgerCsv.field(null));
    }

    @Test
    void aQuotedRefKeepsTheLineCount() {
        String csv = LedgerCsv.write(List.of(new LedgerEntry(ID, "adjustment", 100, 100, "goodwill,\r\nsee \"x\"",
                AT)));
        assertEquals(
                HEADER + ID + ",2026-12-07T14:05:09Z,adjustment,100,1.00,100,1.00,\"goodwill,\r\nsee \"\"x\"\"\"\r\n",
                csv);
    }

    @Test
    void aValueThatLooksLikeAFormulaIsNeutralised() {
        assertEquals("'=cmd", LedgerCsv.field("=cmd"));
        assertEquals("'+1", LedgerCsv.field("+1"));
        assertEquals("'-1", LedgerCsv.field("-1"));
        assertEquals("'@x", LedgerCsv.field("@x"));
        assertEquals("'\tx", LedgerCsv.field("\tx"));
        assertEquals("\"'\rx\"", LedgerCsv.field("\rx"));
        assertEquals("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"",
                LedgerCsv.field("=HYPERLINK(\"http://evil\",\"x\")"));
        assertEquals("a=b", LedgerCsv.field("a=b"), "only a leading sign is a formula");
    }

    @Test
    void formulasInTypeAndRefAreNeutralisedInTheFile() {
        String csv = LedgerCsv.write(List.of(new LedgerEntry(ID, "=1+1", 100, 100, "@SUM(A1:A2)", AT)));
        assertEquals(HEADER + ID + ",2026-12-07T14:05:09Z,'=1+1,100,1.00,100,1.00,'@SUM(A1:A2)\r\n", csv);
        assertTrue(csv.endsWith("\r\n"));
    }
}
