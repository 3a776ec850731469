package com.fetchsms.dashboard.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fetchsms.dashboard.domain.ImportResult;
import com.fetchsms.dashboard.service.NumberLines;

/** An import's report names each line that was not imported. */
class ImportReportTest {

    @Test
    void everyEntryTheApiRefusedIsReportedOnTheLineItCameFrom() {
        List<NumberLines.Line> lines = List.of(new NumberLines.Line("line 1", "+13325550101"),
                new NumberLines.Line("line 2", "hello"), new NumberLines.Line("file line 2", "hello"),
                new NumberLines.Line("file line 3", "555"));
        AdminNumberResource.Report report = AdminNumberResource.report(lines,
                new ImportResult(1, 0, List.of("hello", "hello", "555")));
        assertEquals(1, report.added());
        assertEquals(List.of(new AdminNumberResource.Rejected("line 2", "hello", "not a US phone number"),
                new AdminNumberResource.Rejected("file line 2", "hello", "not a US phone number"),
                new AdminNumberResource.Rejected("file line 3", "555", "not a US phone number")), report.rejected());
    }

    @Test
    void anImportWithoutRefusalsReportsNoLine() {
        AdminNumberResource.Report report = AdminNumberResource.report(
                List.of(new NumberLines.Line("line 1", "+13325550101")), new ImportResult(0, 1, List.of()));
        assertEquals(List.of(), report.rejected());
        assertEquals(1, report.skipped());
    }
}
