package com.fetchsms.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.InventoryNumberChanged;
import com.fetchsms.common.events.Topics;

/** The kit itself: a real broker that round-trips a record, and databases that exist only for their test run. */
class InfrastructureKitTest {

    @Test
    void theBrokerRoundTripsACloudEventWithItsHeaders() {
        String number = "+1332555" + String.format("%04d", (int) (Math.random() * 10000));
        UUID gateway = UUID.randomUUID();
        String id = KafkaEvents.send(new InventoryNumberChanged(number, "332", gateway, "available", Instant.now()));

        KafkaEvents.Received received = KafkaEvents.await(Topics.INVENTORY_NUMBERS, r -> id.equals(r.id()),
                Duration.ofSeconds(30));
        assertEquals(number, received.key());
        assertEquals("fetchsms.inventory.number-changed.v1", received.type());
        assertEquals("1.0", received.headers().get("ce_specversion"));
        assertEquals(gateway.toString(), received.data().get("gateway_id").asText());
        assertEquals("available", received.data().get("state").asText());
    }

    @Test
    void aTestDatabaseIsCreatedEmptyAndDroppedAfterwards() throws Exception {
        PostgresDatabase database = PostgresDatabase.create("kit");
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE probe (id INT)");
            statement.execute("INSERT INTO probe VALUES (1)");
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM probe")) {
                rows.next();
                assertEquals(1, rows.getInt(1));
            }
        }
        assertTrue(databases().contains(database.name()));
        database.close();
        assertFalse(databases().contains(database.name()));
    }

    private static List<String> databases() throws Exception {
        Properties credentials = new Properties();
        credentials.setProperty("user", PostgresDatabase.user());
        credentials.setProperty("password", PostgresDatabase.password());
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://" + PostgresDatabase.host() + ":" + PostgresDatabase.port() + "/postgres",
                credentials);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT datname FROM pg_database")) {
            List<String> names = new java.util.ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        }
    }
}
