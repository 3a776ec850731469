package com.fetchsms.testkit;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The infrastructure of a service's {@code @QuarkusTest}s: a fresh database (migrated by Flyway at start), the shared
 * broker, the test public key for dashboard tokens and the test service credential ({@link ServiceCredentials}). Use with
 * {@code @QuarkusTestResource(value = ServiceTestResource.class, restrictToAnnotatedClass = false)} once per module.
 */
public class ServiceTestResource implements QuarkusTestResourceLifecycleManager {

    private PostgresDatabase database;
    private static volatile PostgresDatabase current;

    @Override
    public Map<String, String> start() {
        database = PostgresDatabase.create("fetchsms");
        current = database;
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.username", PostgresDatabase.user());
        config.put("quarkus.datasource.password", PostgresDatabase.password());
        config.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
        config.put("quarkus.datasource.reactive.url", database.reactiveUrl());
        config.put("kafka.bootstrap.servers", bootstrapServers());
        config.put("mp.jwt.verify.publickey.location", TestTokens.PUBLIC_KEY_LOCATION);
        config.put("mp.jwt.verify.issuer", TestTokens.ISSUER);
        config.put("mp.jwt.verify.audiences", TestTokens.AUDIENCE);
        config.put("fetchsms.services.credential", ServiceCredentials.TEST);
        return config;
    }

    /** The broker the application uses: the test JVM's shared one ({@link OwnBrokerTestResource}: one of its own). */
    protected String bootstrapServers() {
        return SharedKafkaBroker.bootstrapServers();
    }

    /** The database of the running test application, for assertions on its rows. */
    public static PostgresDatabase database() {
        return current;
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
        }
    }
}
