package com.fetchsms.common.datasource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The database settings of the Kubernetes manifests (decision 0033), on a real PostgreSQL server that admits TLS only:
 * with them the application starts (Flyway migrates over JDBC) and both its pools talk TLS to the server they verified;
 * the same server refuses a client without TLS, and verify-full refuses a certificate of another CA or for another
 * host. The settings are compared with deploy/k8s's own files, so the manifests cannot drift from what is tested here.
 */
@QuarkusTest
@WithTestResource(TlsPostgresResource.class)
class PostgresTlsTest {

    private static final String SSL_OF_THIS_SESSION = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

    @Inject
    Pool pool;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theReactivePoolTalksTlsToTheVerifiedServer() {
        Boolean ssl = pool.query(SSL_OF_THIS_SESSION).execute().await().atMost(Duration.ofSeconds(10)).iterator()
                .next().getBoolean(0);
        assertTrue(ssl);
        Long migrations = pool.query("SELECT count(*) FROM flyway_schema_history WHERE success").execute().await()
                .atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertTrue(migrations > 0, "Flyway migrated over its JDBC connection, verify-full too");
    }

    @Test
    void theJdbcConnectionTalksTlsToTheVerifiedServer() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                ResultSet rs = connection.createStatement().executeQuery(SSL_OF_THIS_SESSION)) {
            assertTrue(rs.next());
            assertTrue(rs.getBoolean(1));
        }
    }

    @Test
    void theServerRefusesAClientWithoutTls() {
        TlsPostgresServer server = TlsPostgresResource.server();
        SQLException refused = assertThrows(SQLException.class,
                () -> connect(server.jdbcUrl(TlsPostgresServer.HOST, "sslmode=disable")));
        assertTrue(refused.getMessage().contains("no encryption"), refused.getMessage());
    }

    @Test
    void verifyFullRefusesAServerWhoseCertificateAnotherCaSignedOrThatWasIssuedForAnotherHost() throws SQLException {
        TlsPostgresServer server = TlsPostgresResource.server();
        String verified = TlsPostgresResource.JDBC_QUERY_IN_MANIFESTS.replace(TlsPostgresResource.CA_FILE_IN_MANIFESTS,
                server.caCertificate().toString());
        try (Connection connection = connect(server.jdbcUrl(TlsPostgresServer.HOST, verified))) {
            assertFalse(connection.isClosed(), "the manifests' query with the right CA connects");
        }
        String otherCa = TlsPostgresResource.JDBC_QUERY_IN_MANIFESTS.replace(TlsPostgresResource.CA_FILE_IN_MANIFESTS,
                server.otherCaCertificate().toString());
        assertThrows(SQLException.class, () -> connect(server.jdbcUrl(TlsPostgresServer.HOST, otherCa)));
        // The certificate names localhost, not the address: the host name check refuses it.
        assertThrows(SQLException.class, () -> connect(server.jdbcUrl("127.0.0.1", verified)));
    }

    /** deploy/k8s gives every service exactly these settings (as environment variables of the same names). */
    @Test
    void theSettingsTestedHereAreTheOnesTheManifestsGiveEveryService() throws IOException {
        Path k8s = Path.of("../../deploy/k8s/base/workloads");
        Map<String, String> manifest = new HashMap<>();
        Matcher env = Pattern.compile("- name: (QUARKUS_DATASOURCE_\\S+)\\s+value: \"?([^\"\\n]+)\"?")
                .matcher(Files.readString(k8s.resolve("database-tls.yaml")));
        while (env.find()) {
            manifest.put(env.group(1), env.group(2).trim());
        }
        Map<String, String> tested = new HashMap<>();
        TlsPostgresResource.TLS_SETTINGS.forEach((property, value) -> tested.put(
                property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), value));
        assertEquals(tested, manifest);

        Matcher jdbc = Pattern.compile("QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://[^?\\s]+\\?(\\S+)")
                .matcher(Files.readString(k8s.resolve("kustomization.yaml")));
        int services = 0;
        while (jdbc.find()) {
            assertEquals(TlsPostgresResource.JDBC_QUERY_IN_MANIFESTS, jdbc.group(1));
            services++;
        }
        assertEquals(6, services, "every service's JDBC URL carries the TLS query");
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, "postgres", "");
    }
}
