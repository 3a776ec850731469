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
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@link VacuumJob} on a real database: a listed table with enough dead rows is vacuumed (its dead rows are gone and
 * PostgreSQL counts the vacuum), a listed table with fewer is left alone. The timer is off in these tests
 * ({@code %test.fetchsms.vacuum.enabled=false}), so each pass here is the only one.
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
                .until(() -> job.pass().await().atMost(PATIENCE), tables -> !tables.isEmpty());

        assertEquals(List.of("probe_applied"), vacuumed);
        await().atMost(PATIENCE).untilAsserted(() -> {
            Row after = stats("probe_applied");
            assertEquals(vacuumsBefore + 1, after.getLong("vacuum_count"));
            assertEquals(0L, after.getLong("n_dead_tup"));
        });
        assertEquals(outboxVacuumsBefore, stats("outbox_event").getLong("vacuum_count"));
        assertTrue(registry.get("fetchsms.vacuum").tag("table", "probe_applied").timer().count() >= 1);
        // nothing left to do: the next pass vacuums nothing
        assertFalse(job.pass().await().atMost(PATIENCE).contains("probe_applied"));
    }

    private Row stats(String table) {
        return pool.preparedQuery("""
                SELECT vacuum_count, n_dead_tup FROM pg_stat_user_tables
                WHERE schemaname = current_schema() AND relname = $1""")
                .execute(Tuple.of(table)).await().atMost(PATIENCE).iterator().next();
    }
}
