package com.fetchsms.common.maintenance;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of {@link VacuumJob} ({@code fetchsms.vacuum.*}, decisions 0025 and 0026). */
@ConfigMapping(prefix = "fetchsms.vacuum")
public interface VacuumConfig {

    /** Whether this replica vacuums its churning tables and analyzes its tables itself. */
    @WithDefault("true")
    boolean enabled();

    /**
     * The service's tables whose rows are deleted or rewritten all the time and whose hot query walks an index in
     * order ({@code outbox_event} in every service; catalog adds {@code short_pool}).
     */
    @WithDefault("outbox_event")
    List<String> tables();

    /** How often the tables' dead-row counts are read (one query over the statistics view). */
    @WithDefault("10s")
    Duration interval();

    /** A table is vacuumed once it has at least this many dead rows. */
    @WithDefault("2000")
    long deadRows();

    /**
     * A table of the service's schema is analyzed once this many rows, plus {@link #analyzeFraction()} of its live rows,
     * changed since its statistics were last gathered (autovacuum's own defaults: 50 and 0.1).
     */
    @WithDefault("50")
    long analyzeRows();

    /** The share of a table's live rows that must change, beyond {@link #analyzeRows()}, before it is analyzed. */
    @WithDefault("0.1")
    double analyzeFraction();
}
