package com.fetchsms.rental;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PostgresDatabase;

/**
 * The shared migrations of the purchase tables ({@code db/purchase}, decision 0017) reach a rental database that was
 * migrated before them (its own V1 and V2 applied): versions 1.0.N sort below V2, so they are applied out of order,
 * with this service's table name as the {@code purchase_table} placeholder — the settings of application.properties.
 */
class SharedPurchaseMigrationsTest {

    @Test
    void aDatabaseMigratedBeforeTheSharedMigrationsTakesThemOnItsNextStart() throws Exception {
        Properties settings = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            settings.load(in);
        }
        String[] locations = settings.getProperty("quarkus.flyway.locations").split(",");
        String table = settings.getProperty("quarkus.flyway.placeholders.purchase_table");
        assertEquals("rental", table);

        try (PostgresDatabase database = PostgresDatabase.create("rental_upgrade")) {
            // as deployed before db/purchase existed: the platform's migrations and the service's V1 and V2
            flyway(database, Map.of(), "db/common", "db/migration").migrate();
            insertRental(database, "r_before1", null);
            UUID cancelled = UUID.randomUUID();
            execute(database, "INSERT INTO rental (id, ref, account_id, service_ref, days, status, request_hash, "
                    + "created_at, number, cost_cents, expires_at) VALUES ('" + cancelled + "', 'r_before2', '"
                    + UUID.randomUUID() + "', '1', 7, 'cancelled', 'x', now(), '+13325550100', 600, now())");

            MigrateResult upgrade = flyway(database, Map.of("purchase_table", table), locations).migrate();
            assertEquals(3, upgrade.migrationsExecuted);
            assertEquals("1.0.1", upgrade.migrations.get(0).version);
            assertEquals("1.0.2", upgrade.migrations.get(1).version);
            assertEquals("1.0.3", upgrade.migrations.get(2).version);
            flyway(database, Map.of("purchase_table", table), locations).validate();
            assertEquals("customer", text(database, "SELECT cancel_reason FROM rental WHERE id = '" + cancelled + "'"),
                    "a cancel before the migration was the buyer's");
            SQLException unknown = assertThrows(SQLException.class, () -> execute(database,
                    "UPDATE rental SET cancel_reason = 'bored' WHERE id = '" + cancelled + "'"));
            assertEquals("23514", unknown.getSQLState(), "an unknown cancel_reason breaks the CHECK");

            assertEquals("false", text(database, "SELECT sandbox::text FROM rental WHERE id = '" + cancelled + "'"),
                    "every purchase before the sandbox was live");

            insertRental(database, "r_capped1", 600);
            SQLException refused = assertThrows(SQLException.class, () -> insertRental(database, "r_zero1", 0));
            assertEquals("23514", refused.getSQLState(), "a cap of 0 breaks the CHECK");
        }
    }

    private static Flyway flyway(PostgresDatabase database, Map<String, String> placeholders, String... locations) {
        return Flyway.configure()
                .dataSource(database.jdbcUrl(), PostgresDatabase.user(), PostgresDatabase.password())
                .locations(locations).placeholders(placeholders).outOfOrder(true).load();
    }

    private static void execute(PostgresDatabase database, String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    private static String text(PostgresDatabase database, String sql) throws SQLException {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static void insertRental(PostgresDatabase database, String ref, Integer cap) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO rental (id, ref, account_id, service_ref, days, status, "
                    + "request_hash, created_at" + (cap == null ? "" : ", max_price_cents") + ") VALUES ('"
                    + UUID.randomUUID() + "', '" + ref + "', '" + UUID.randomUUID() + "', '1', 7, 'pending', 'x', "
                    + "now()" + (cap == null ? "" : ", " + cap) + ")");
        }
    }
}
