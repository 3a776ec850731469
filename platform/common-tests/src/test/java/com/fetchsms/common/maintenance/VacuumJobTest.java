package com.fetchsms.common.maintenance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@link VacuumJob} on a real database: a listed table with enough dead rows is vacuumed (its dead rows are gone and
 * PostgreSQL counts the vacuum), a listed table with fewer is left alone; a table whose rows changed is analyzed, and
 * a connection's prepared statement planned on it empty plans again with the new statistics. The timer is off in
 * these tests ({@code %test.fetchsms.vacuum.enabled=false}), so each pass here is the only one.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class VacuumJobTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    Pool pool;
    @Inject
    VacuumJob job;
    @Inject
    MeterRegistry registry;

    @Test
    void aListedTableWithEnoughDeadRowsIsVacuumedAndOneWithFewIsNot() {
        long vacuumsBefore = stats("probe_applied").getLong("vacuum_count");
        long outboxVacuumsBefore = stats("outbox_event").getLong("vacuum_count");
        // 2,500 rows written and deleted: dead rows past the threshold (2,000)
        pool.withTransaction(tx -> tx.preparedQuery("""
                INSERT INTO probe_applied (event_id, account_id, purchase_id, reason, txid)
                SELECT 'vacuum-' || g, $1, $1, 'vacuum test', txid_current() FROM generate_series(1, 2500) g""")
                .execute(Tuple.of(UUID.randomUUID()))
                .chain(() -> tx.query("DELETE FROM probe_applied WHERE event_id LIKE 'vacuum-%'").execute()))
                .await().atMost(PATIENCE);

        // PostgreSQL publishes a backend's table statistics a moment after its transaction ends
        List<String> vacuumed = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> job.pass().await().atMost(PATIENCE).vacuumed(), tables -> !tables.isEmpty());

        assertEquals(List.of("probe_applied"), vacuumed);
        await().atMost(PATIENCE).untilAsserted(() -> {
            Row after = stats("probe_applied");
            assertEquals(vacuumsBefore + 1, after.getLong("vacuum_count"));
            assertEquals(0L, after.getLong("n_dead_tup"));
        });
        assertEquals(outboxVacuumsBefore, stats("outbox_event").getLong("vacuum_count"));
        assertTrue(registry.get("fetchsms.vacuum").tag("table", "probe_applied").timer().count() >= 1);
        // nothing left to do: the next pass vacuums nothing
        assertFalse(job.pass().await().atMost(PATIENCE).vacuumed().contains("probe_applied"));
    }

    @Test
    void aTableFilledAfterAStatementWasPlannedOnItEmptyIsAnalyzedAndThePlanUsesItsIndex() {
        SqlConnection connection = pool.getConnection().await().atMost(PATIENCE);
        String plan;
        try {
            // the statement's plan settles for this connection after five runs on the empty table
            sql(connection, "PREPARE by_number(text[]) AS SELECT p.id FROM planner_probe p"
                    + " JOIN unnest($1::text[]) AS k(number) ON p.number = k.number");
            for (int i = 0; i < 7; i++) {
                sql(connection, "EXECUTE by_number('{+12025550100}')");
            }
            sql(connection, """
                    INSERT INTO planner_probe (number, hash)
                    SELECT '+1202' || lpad(g::text, 7, '0'), md5(g::text) FROM generate_series(1, 20000) g""");
            String settled = explain(connection);
            assertTrue(settled.contains("Seq Scan on planner_probe"),
                    "before the table is analyzed, the settled plan reads every row: " + settled);

            // PostgreSQL publishes a backend's table statistics a moment after its transaction ends
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                    .until(() -> job.pass().await().atMost(PATIENCE).analyzed(),
                            tables -> tables.contains("planner_probe"));
            plan = explain(connection);
        } finally {
            sql(connection, "DEALLOCATE by_number");
            connection.close().await().atMost(PATIENCE);
        }

        assertTrue(plan.contains("Index Scan using planner_probe_number_idx"),
                "after the pass analyzed the table, the same connection's statement uses the index: " + plan);
        Row stats = pool.query("""
                SELECT analyze_count, n_mod_since_analyze FROM pg_stat_user_tables
                WHERE schemaname = current_schema() AND relname = 'planner_probe'""")
                .execute().await().atMost(PATIENCE).iterator().next();
        assertTrue(stats.getLong("analyze_count") >= 1);
        assertEquals(0L, stats.getLong("n_mod_since_analyze"));
        // nothing changed since: the next pass leaves it alone
        assertFalse(job.pass().await().atMost(PATIENCE).analyzed().contains("planner_probe"));
        assertTrue(registry.get("fetchsms.analyze").tag("table", "planner_probe").timer().count() >= 1);
    }

    @Test
    void aTableIsAnalyzedOnlyOnceFiftyRowsPlusATenthOfItChanged() {
        pool.query("INSERT INTO analyze_probe (id, value) SELECT g, 0 FROM generate_series(1, 1000) g").execute()
                .await().atMost(PATIENCE);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> job.pass().await().atMost(PATIENCE).analyzed(), t -> t.contains("analyze_probe"));
        long analyzed = stats("analyze_probe", "analyze_count");

        // 60 changed rows: past the 50, short of 50 + 100 (a tenth of 1,000 live rows)
        pool.query("UPDATE analyze_probe SET value = 1 WHERE id <= 60").execute().await().atMost(PATIENCE);
        await().atMost(PATIENCE).until(() -> stats("analyze_probe", "n_mod_since_analyze") >= 60);
        assertFalse(job.pass().await().atMost(PATIENCE).analyzed().contains("analyze_probe"));
        assertEquals(analyzed, stats("analyze_probe", "analyze_count"));

        // 100 more: 160 changed rows, past the threshold
        pool.query("UPDATE analyze_probe SET value = 2 WHERE id > 900").execute().await().atMost(PATIENCE);
        await().atMost(PATIENCE).until(() -> stats("analyze_probe", "n_mod_since_analyze") >= 160);
        assertTrue(job.pass().await().atMost(PATIENCE).analyzed().contains("analyze_probe"));
        await().atMost(PATIENCE).until(() -> stats("analyze_probe", "analyze_count") == analyzed + 1);
    }

    private long stats(String table, String column) {
        return pool.preparedQuery("SELECT " + column + " FROM pg_stat_user_tables"
                + " WHERE schemaname = current_schema() AND relname = $1")
                .execute(Tuple.of(table)).await().atMost(PATIENCE).iterator().next().getLong(0);
    }

    private static void sql(SqlConnection connection, String statement) {
        connection.query(statement).execute().await().atMost(PATIENCE);
    }

    private static String explain(SqlConnection connection) {
        StringBuilder plan = new StringBuilder();
        connection.query("EXPLAIN EXECUTE by_number('{+12020000005}')").execute().await().atMost(PATIENCE)
                .forEach(row -> plan.append(row.getString(0)).append('\n'));
        return plan.toString();
    }

    private Row stats(String table) {
        return pool.preparedQuery("""
                SELECT vacuum_count, n_dead_tup FROM pg_stat_user_tables
                WHERE schemaname = current_schema() AND relname = $1""")
                .execute(Tuple.of(table)).await().atMost(PATIENCE).iterator().next();
    }
}
