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
 * Keeps the service's tables fit for its queries, whatever PostgreSQL's autovacuum does (it may be slow to start, or
 * switched off). Every {@code fetchsms.vacuum.interval} one pass:
 * <ul>
 * <li><b>Vacuums the churning tables</b> (decision 0025). A table whose rows are deleted as fast as they are written
 * ({@code outbox_event}: every event is deleted once published; catalog's {@code short_pool}: every purchase takes a
 * pair out) is read by a query that walks an index in order; every dead row stays in that walk until the table is
 * vacuumed, so without vacuuming the walk, and the cost of every poll and claim, grows with every row ever deleted.
 * Each listed table ({@code fetchsms.vacuum.tables}) with {@code fetchsms.vacuum.dead-rows} or more dead rows gets
 * {@code VACUUM (SKIP_LOCKED)}.</li>
 * <li><b>Analyzes every table of the schema whose rows changed</b> (decision 0026): {@code analyze-rows} plus
 * {@code analyze-fraction} of its live rows since its statistics were last gathered get {@code ANALYZE
 * (SKIP_LOCKED)}. The services run prepared statements, and PostgreSQL settles a statement's plan for the connection
 * after a few runs; a plan settled while a table had no statistics (a new database) stays a sequential scan as the
 * table grows. New statistics make every connection plan again.</li>
 * </ul>
 * Neither takes a lock that blocks reads or writes; {@code SKIP_LOCKED} makes a replica skip a table another replica
 * (or autovacuum) is working on, so replicas need no coordination. Reactive: nothing here blocks an event loop.
 * {@code fetchsms_vacuum_seconds{table}} and {@code fetchsms_analyze_seconds{table}} time each run.
 */
@ApplicationScoped
public class VacuumJob {

    private static final Logger LOG = Logger.getLogger(VacuumJob.class);
    /** Table names are interpolated into VACUUM and ANALYZE (they take no parameters): plain lower-case identifiers. */
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
        if (config.enabled()) {
            timerId = vertx.setPeriodic(config.interval().toMillis(), id -> pass().subscribe().with(
                    done -> {
                    }, failure -> LOG.warnf("Vacuum pass failed: %s", failure.getMessage())));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** What one pass did: the tables it vacuumed and the tables it analyzed. */
    public record Pass(List<String> vacuumed, List<String> analyzed) {
    }

    /** One pass: vacuums every listed table with enough dead rows, then analyzes every table that changed enough. */
    public Uni<Pass> pass() {
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().item(new Pass(List.of(), List.of()));
        }
        return vacuumPass().chain(vacuumed -> analyzePass().map(analyzed -> new Pass(vacuumed, analyzed)))
                .eventually(() -> running.set(false));
    }

    private Uni<List<String>> vacuumPass() {
        return pool.preparedQuery("""
                SELECT relname FROM pg_stat_user_tables
                WHERE schemaname = current_schema() AND relname = ANY($1) AND n_dead_tup >= $2
                ORDER BY relname""")
                .execute(Tuple.of(config.tables().toArray(String[]::new), config.deadRows()))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .map(row -> row.getString("relname"))
                .onItem().transformToUniAndConcatenate(table -> run("VACUUM", "fetchsms.vacuum",
                        "VACUUM runs of the service's churning tables (decision 0025)", table))
                .collect().asList();
    }

    private Uni<List<String>> analyzePass() {
        // n_mod_since_analyze counts every insert, update and delete since the last ANALYZE (or since the table was
        // made); the casts keep the fraction a fraction (an untyped parameter beside a bigint column would be one too)
        return pool.preparedQuery("""
                SELECT relname FROM pg_stat_user_tables
                WHERE schemaname = current_schema() AND n_mod_since_analyze >= $1::float8 + $2::float8 * n_live_tup
                ORDER BY relname""")
                .execute(Tuple.of(config.analyzeRows(), config.analyzeFraction()))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .map(row -> row.getString("relname"))
                .filter(table -> TABLE.matcher(table).matches())
                .onItem().transformToUniAndConcatenate(table -> run("ANALYZE", "fetchsms.analyze",
                        "ANALYZE runs of the service's tables whose rows changed (decision 0026)", table))
                .collect().asList();
    }

    private Uni<String> run(String command, String meter, String description, String table) {
        long started = System.nanoTime();
        // the simple-query protocol outside a transaction: VACUUM cannot run inside one
        return pool.query(command + " (SKIP_LOCKED) \"" + table + "\"").execute().map(done -> {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            Timer.builder(meter).tag("table", table).description(description).register(registry).record(took);
            LOG.debugf("%s %s in %d ms", command, table, took.toMillis());
            return table;
        });
    }
}
