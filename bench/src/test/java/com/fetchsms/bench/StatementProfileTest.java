package com.fetchsms.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class StatementProfileTest {

    /** A stretch of a Debian server's log with log_min_duration_statement = 0 (prefix {@code %m [%p] %q%u@%d }). */
    private static final String LOG = """
            2026-12-07 12:29:40.788 UTC [5617] postgres@fetchsms_ingest LOG:  duration: 0.120 ms  statement: BEGIN
            2026-12-07 12:29:40.789 UTC [5617] postgres@fetchsms_ingest LOG:  duration: 0.050 ms  bind 0000009: INSERT\
             INTO inbound_message (id, number)
            \t                             SELECT * FROM unnest($1::uuid[],
            \t                     $2::text[])
            2026-12-07 12:29:40.789 UTC [5617] postgres@fetchsms_ingest DETAIL:  parameters: $1 = '{4d99}', $2 = '{+1}'
            2026-12-07 12:29:40.790 UTC [5617] postgres@fetchsms_ingest LOG:  duration: 0.406 ms  execute 0000009: INSERT\
             INTO inbound_message (id, number)
            \t                             SELECT * FROM unnest($1::uuid[],
            \t                     $2::text[])
            2026-12-07 12:29:40.790 UTC [5617] postgres@fetchsms_ingest DETAIL:  parameters: $1 = '{4d99}', $2 = '{+1}'
            2026-12-07 12:29:40.795 UTC [5617] postgres@fetchsms_ingest LOG:  duration: 4.915 ms  statement: COMMIT
            2026-12-07 12:29:40.796 UTC [5620] postgres@fetchsms_wallet LOG:  duration: 0.100 ms  statement: BEGIN
            2026-12-07 12:29:40.797 UTC [5620] postgres@fetchsms_wallet LOG:  duration: 1.500 ms  execute <unnamed>: \
            SELECT 1
            2026-12-07 12:29:40.798 UTC [5620] postgres@fetchsms_wallet LOG:  duration: 0.700 ms  statement: COMMIT
            2026-12-07 12:29:40.799 UTC [5621] postgres@fetchsms_ingest LOG:  duration: 0.132 ms  statement: BEGIN
            2026-12-07 12:29:40.800 UTC [5621] postgres@fetchsms_ingest LOG:  duration: 0.500 ms  execute 0000009: INSERT\
             INTO inbound_message (id, number)
            \t                             SELECT * FROM unnest($1::uuid[],
            \t                     $2::text[])
            2026-12-07 12:29:40.801 UTC [5621] postgres@fetchsms_ingest LOG:  duration: 2.001 ms  statement: COMMIT
            2026-12-07 12:29:40.802 UTC [5622] postgres@fetchsms_ingest LOG:  checkpoint starting: time
            """;

    @Test
    void aLogStretchIsCountedPerDatabaseAndPerStatementWithMultiLineStatementsJoined() {
        StatementProfile.Profile profile = StatementProfile.profile(LOG);

        // statements, total ms, transactions (BEGINs)
        assertArrayEquals(new double[]{7, 0.12 + 0.05 + 0.406 + 4.915 + 0.132 + 0.5 + 2.001, 2},
                profile.databases().get("fetchsms_ingest"), 1e-9);
        assertArrayEquals(new double[]{3, 2.3, 1}, profile.databases().get("fetchsms_wallet"), 1e-9);

        StatementProfile.Line dearest = profile.statements().get(0);
        assertEquals("COMMIT", dearest.text());
        assertEquals(2, dearest.count());
        assertEquals(6.916, dearest.millis(), 1e-9);
        StatementProfile.Line insert = profile.statements().stream()
                .filter(l -> l.phase().equals("exec") && l.text().startsWith("INSERT")).findFirst().orElseThrow();
        assertEquals("INSERT INTO inbound_message (id, number) SELECT * FROM unnest($1::uuid[], $2::text[])",
                insert.text());
        assertEquals(2, insert.count());
        assertEquals(0.906, insert.millis(), 1e-9);
        assertEquals(1, profile.statements().stream().filter(l -> l.phase().equals("bind")).count());
    }

    @Test
    void thePrintedProfileIsPerOperation() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StatementProfile.print(StatementProfile.profile(LOG), 2, 3, new PrintStream(bytes, true,
                StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);

        // per operation: statements, transactions, ms
        List<List<String>> rows = printed.lines().map(line -> List.of(line.trim().split("\\s+"))).toList();
        assertTrue(rows.contains(List.of("fetchsms_ingest", "3.50", "1.00", "4.062", "ms")), printed);
        assertTrue(rows.contains(List.of("fetchsms_wallet", "1.50", "0.50", "1.150", "ms")), printed);
        // the dearest statement first: count and ms per operation
        String first = printed.lines().dropWhile(line -> !line.startsWith("The 3 dearest")).skip(1).findFirst()
                .orElseThrow().trim();
        assertEquals(List.of("1.00", "3.458", "fetchsms_ingest", "exec", "COMMIT"), List.of(first.split("\\s+")));
    }
}
