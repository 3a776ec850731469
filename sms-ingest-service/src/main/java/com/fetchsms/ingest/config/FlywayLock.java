package com.fetchsms.ingest.config;

import java.util.Map;

import jakarta.inject.Singleton;

import org.flywaydb.core.api.configuration.FluentConfiguration;

import io.quarkus.flyway.FlywayConfigurationCustomizer;

/**
 * Flyway's lock on the database is held by a session ({@code pg_advisory_lock}), not by an open transaction. With
 * Flyway's default, a transaction-scoped lock taken on a connection of its own for the whole migration, a migration
 * that runs outside a transaction to build an index without blocking writes ({@code CREATE INDEX CONCURRENTLY}, V3)
 * would wait forever for that transaction to end. Replicas starting at once still migrate one at a time.
 */
@Singleton
public class FlywayLock implements FlywayConfigurationCustomizer {

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.configuration(Map.of("flyway.postgresql.transactional.lock", "false"));
    }
}
