package com.fetchsms.dashboard.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The numbers an operator pastes or uploads, each with the line it came from. */
class NumberLinesTest {

    @Test
    void plainLinesKeepTheirLineNumbersAndSkipBlankOnes() {
        List<NumberLines.Line> lines = NumberLines.parse("+13325550101\n\n  (332) 555-0102  \r\n3325550103", "line");
        assertEquals(List.of(new NumberLines.Line("line 1", "+13325550101"),
                new NumberLines.Line("line 3", "(332) 555-0102"), new NumberLines.Line("line 4", "3325550103")),
                lines);
    }

    @Test
    void aCsvGivesItsFirstColumnAndItsHeaderLineIsSkipped() {
        List<NumberLines.Line> lines = NumberLines.parse(
                "\uFEFFnumber,label\n+13325550101,rack 1\n\"(332) 555-0102\",\"rack, 2\"\n3325550103;x\n",
                "file line");
        assertEquals(List.of(new NumberLines.Line("file line 2", "+13325550101"),
                new NumberLines.Line("file line 3", "(332) 555-0102"),
                new NumberLines.Line("file line 4", "3325550103")), lines);
    }

    @Test
    void aLineWithoutDigitsAfterTheFirstIsKeptSoThatItIsReportedNotLost() {
        List<NumberLines.Line> lines = NumberLines.parse("+13325550101\nnot-a-number\n", "line");
        assertEquals(new NumberLines.Line("line 2", "not-a-number"), lines.get(1));
    }

    @Test
    void nothingGivenIsNoLine() {
        assertTrue(NumberLines.parse(null, "line").isEmpty());
        assertTrue(NumberLines.parse("\n \n", "line").isEmpty());
    }
}
