package com.fetchsms.common.maintenance;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keeps the service's churning tables free of dead rows (decision 0025). A table whose rows are deleted as fast as
 * they are written ({@code outbox_event}: every event is deleted once published; catalog's {@code short_pool}: every
 * purchase takes a pair out) is read by a query that walks an index in order; every dead row stays in that walk until
 * the table is vacuumed, so without vacuuming the walk, and the cost of every poll and claim, grows with every row
 * ever deleted. PostgreSQL's autovacuum waits for a fifth of a table to be dead (and may be switched off), so every
 * {@code fetchsms.vacuum.interval} this job reads the tables' dead-row counts and runs {@code VACUUM (SKIP_LOCKED)} on
 * each that has {@code fetchsms.vacuum.dead-rows} or more. Vacuuming takes no lock that blocks reads or writes;
 * {@code SKIP_LOCKED} makes a replica skip a table another replica (or autovacuum) is vacuuming. Reactive: nothing
 * here blocks an event loop. {@code fetchsms_vacuum_seconds{table}} times each run.
 */
@ApplicationScoped
public class VacuumJob {

    private static final Logger LOG = Logger.getLogger(VacuumJob.class);
    /** Table names are interpolated into VACUUM (it takes no parameters): only plain lower-case identifiers. */
    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final Pool pool;
    private final Vertx vertx;
    private final VacuumConfig config;
    private final MeterRegistry registry;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timerId = -1;

    public VacuumJob(Pool pool, Vertx vertx, VacuumConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
        this.registry = registry;
        for (String table : config.tables()) {
            if (!TABLE.matcher(table).matches()) {
                throw new IllegalArgumentException("fetchsms.vacuum.tables: '" + table + "' is not a table name");
            }
        }
    }

    void start(@Observes StartupEvent event) {
        if (config.enabled() && !config.tables().isEmpty()) {
            timerId = vertx.setPeriodic(config.interval().toMillis(), id -> pass().subscribe().with(
                    vacuumed -> {
                    }, failure -> LOG.warnf("Vacuum pass failed: %s", failure.getMessage())));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** One pass: vacuums every listed table with enough dead rows; answers the tables it vacuumed. */
    public Uni<List<String>> pass() {
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("""
                SELECT relname FROM pg_stat_user_tables
                WHERE schemaname = current_schema() AND relname = ANY($1) AND n_dead_tup >= $2
                ORDER BY relname""")
                .execute(Tuple.of(config.tables().toArray(String[]::new), config.deadRows()))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .map(row -> row.getString("relname"))
                .onItem().transformToUniAndConcatenate(this::vacuum)
                .collect().asList()
                .eventually(() -> running.set(false));
    }

    private Uni<String> vacuum(String table) {
        long started = System.nanoTime();
        // the simple-query protocol outside a transaction: VACUUM cannot run inside one
        return pool.query("VACUUM (SKIP_LOCKED) \"" + table + "\"").execute().map(done -> {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            Timer.builder("fetchsms.vacuum").tag("table", table)
                    .description("VACUUM runs of the service's churning tables (decision 0025)")
                    .register(registry).record(took);
            LOG.debugf("Vacuumed %s in %d ms", table, took.toMillis());
            return table;
        });
    }
}
