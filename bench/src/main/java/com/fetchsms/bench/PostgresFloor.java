package com.fetchsms.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * The PostgreSQL floor: one {@code INSERT} committed on its own (what every state change of the platform costs at
 * least), on the stack's server, in a scratch database the run creates and drops.
 */
final class PostgresFloor implements AutoCloseable {

    private final String server;
    private final Properties credentials = new Properties();
    private final String database = "fetchsms_bench_" + Long.toHexString(System.nanoTime());
    private final List<Connection> open = new ArrayList<>();
    final String version;

    PostgresFloor(String host, int port, String user, String password) throws SQLException {
        server = "jdbc:postgresql://" + host + ":" + port + "/";
        credentials.setProperty("user", user);
        if (!password.isEmpty()) {
            credentials.setProperty("password", password);
        }
        try (Connection admin = DriverManager.getConnection(server + "postgres", credentials);
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
            try (ResultSet rs = statement.executeQuery("SHOW server_version")) {
                rs.next();
                version = rs.getString(1);
            }
        }
        try (Connection c = connect(); Statement statement = c.createStatement()) {
            statement.execute("CREATE TABLE floor (id bigserial PRIMARY KEY, payload text NOT NULL, "
                    + "created_at timestamptz NOT NULL DEFAULT now())");
        }
    }

    /** A setting of the server ({@code synchronous_commit}, {@code max_connections}, …). */
    String setting(String name) {
        try (Connection c = connect();
                Statement statement = c.createStatement();
                ResultSet rs = statement.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "?";
        }
    }

    /** Clients the last {@link #insertCommit} could connect (fewer than asked when the server ran out). */
    int connected;

    /**
     * {@code clients} connections, each inserting and committing one row at a time. When the server refuses
     * connections (its {@code max_connections} shared with the stack and whatever else runs), the clients that could
     * connect do the work: {@link #connected} says how many.
     */
    Samples insertCommit(int clients, int count) throws SQLException {
        List<PreparedStatement> statements = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Connection connection;
            try {
                connection = connect();
            } catch (SQLException e) {
                if (statements.isEmpty()) {
                    throw e;
                }
                break;
            }
            connection.setAutoCommit(true);
            statements.add(connection.prepareStatement("INSERT INTO floor (payload) VALUES (?)"));
        }
        connected = statements.size();
        clients = connected;
        ThreadLocal<PreparedStatement> mine = new ThreadLocal<>();
        java.util.concurrent.atomic.AtomicInteger handed = new java.util.concurrent.atomic.AtomicInteger();
        return Load.closed(clients, count, Duration.ofMinutes(5), (i, due) -> {
            PreparedStatement statement = mine.get();
            if (statement == null) {
                statement = statements.get(handed.getAndIncrement());
                mine.set(statement);
            }
            try {
                statement.setString(1, "row " + i);
                statement.executeUpdate();
                return CompletableFuture.completedFuture(200);
            } catch (SQLException e) {
                return CompletableFuture.completedFuture(Samples.IO_ERROR);
            }
        });
    }

    private Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(server + database, credentials);
        open.add(connection);
        return connection;
    }

    @Override
    public void close() {
        for (Connection connection : open) {
            try {
                connection.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
        try (Connection admin = DriverManager.getConnection(server + "postgres", credentials);
                Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("Could not drop the scratch database " + database + ": " + e.getMessage());
        }
    }
}
