package com.fetchsms.common.datasource;

import java.util.HashMap;
import java.util.Map;

import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.SharedKafkaBroker;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The infrastructure of {@link PostgresTlsTest}: what {@code ServiceTestResource} gives, but the database is on a
 * PostgreSQL server that admits TLS only ({@link TlsPostgresServer}), and the application connects to it with the
 * settings the Kubernetes manifests give every service (deploy/k8s/base/workloads/database-tls.yaml and the JDBC URL of
 * the services' ConfigMaps), as properties: {@link #TLS_SETTINGS}.
 */
public class TlsPostgresResource implements QuarkusTestResourceLifecycleManager {

    /** The mounted CA file's place in the manifests; here the test CA's file. */
    static final String CA_FILE_IN_MANIFESTS = "/etc/fetchsms/db-ca/ca.crt";

    /** Property → value, exactly as deploy/k8s sets them (the CA file aside), which PostgresTlsTest compares. */
    static final Map<String, String> TLS_SETTINGS = Map.of(
            "quarkus.datasource.reactive.postgresql.ssl-mode", "verify-full",
            "quarkus.datasource.reactive.hostname-verification-algorithm", "HTTPS",
            "quarkus.datasource.reactive.trust-certificate-pem", "true",
            "quarkus.datasource.reactive.trust-certificate-pem.certs", CA_FILE_IN_MANIFESTS);

    /** The query the manifests add to every service's JDBC URL. */
    static final String JDBC_QUERY_IN_MANIFESTS = "sslmode=verify-full&sslrootcert=" + CA_FILE_IN_MANIFESTS;

    private static volatile TlsPostgresServer server;

    @Override
    public Map<String, String> start() {
        server = TlsPostgresServer.start();
        String ca = server.caCertificate().toString();
        Map<String, String> config = new HashMap<>();
        TLS_SETTINGS.forEach((key, value) -> config.put(key, value.replace(CA_FILE_IN_MANIFESTS, ca)));
        config.put("quarkus.datasource.jdbc.url",
                server.jdbcUrl(TlsPostgresServer.HOST, JDBC_QUERY_IN_MANIFESTS.replace(CA_FILE_IN_MANIFESTS, ca)));
        config.put("quarkus.datasource.reactive.url", server.reactiveUrl());
        config.put("quarkus.datasource.username", "postgres");
        config.put("quarkus.datasource.password", "");
        config.put("kafka.bootstrap.servers", SharedKafkaBroker.bootstrapServers());
        config.put("mp.jwt.verify.publickey.location", TestTokens.PUBLIC_KEY_LOCATION);
        config.put("mp.jwt.verify.issuer", TestTokens.ISSUER);
        config.put("mp.jwt.verify.audiences", TestTokens.AUDIENCE);
        config.put("fetchsms.services.credential", ServiceCredentials.TEST);
        return config;
    }

    static TlsPostgresServer server() {
        return server;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
