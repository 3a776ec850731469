package com.fetchsms.common.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

import com.fetchsms.kafka.KafkaBroker;
import com.fetchsms.testkit.PostgresDatabase;
import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The infrastructure of {@link KafkaClientSecurityTest}: what {@code ServiceTestResource} gives, but with a Kafka
 * broker of its own that has, besides its PLAINTEXT listener (the test's side), a {@code SASL_SSL} listener as the
 * platform's Strimzi cluster has on Kubernetes: TLS with a certificate generated here for this run (keytool, into a
 * temporary directory; no key material is committed), SCRAM-SHA-512 logins, and one user. The broker creates no topic
 * by itself ({@code auto.create.topics.enable=false}), so a topic exists only when a client made it.
 *
 * <p>
 * The application is configured as a Deployment is (deploy/k8s): {@code kafka.bootstrap.servers} is the SASL_SSL
 * listener only, with {@code kafka.security.protocol}, {@code kafka.sasl.*} and the CA as a PEM truststore
 * ({@code kafka.ssl.truststore.*}).
 */
public class SecureBrokerResource implements QuarkusTestResourceLifecycleManager {

    static final String LISTENER = "SASL_SSL";
    static final String USER = "common-tests";

    private static volatile KafkaBroker broker;
    private static volatile Path dir;
    private static volatile PostgresDatabase database;
    private static volatile String password;

    @Override
    public Map<String, String> start() {
        database = PostgresDatabase.create("common_kafka_tls");
        try {
            dir = Files.createTempDirectory("fetchsms-kafka-tls-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String storePassword = random();
        password = random();
        Path keystore = dir.resolve("broker.p12");
        // a self-signed broker certificate for 127.0.0.1, which the clients trust as their CA (as Strimzi's cluster CA)
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=fetchsms-test-broker", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore",
                keystore.toString(), "-storetype", "PKCS12", "-storepass", storePassword, "-keypass", storePassword);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", storePassword, "-file", caFile().toString());

        String prefix = "listener.name." + LISTENER.toLowerCase() + ".";
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("auto.create.topics.enable", "false");
        settings.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        settings.put(prefix + "scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        settings.put(prefix + "ssl.keystore.location", keystore.toString());
        settings.put(prefix + "ssl.keystore.password", storePassword);
        settings.put(prefix + "ssl.keystore.type", "PKCS12");
        broker = KafkaBroker.start(0, dir.resolve("kafka"), KafkaBroker.DEFAULT_JVM_OPTIONS, settings,
                List.of(new KafkaBroker.Listener(LISTENER, "SASL_SSL", 0)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plaintextBootstrap()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not create the SCRAM user " + USER, e);
        }
        awaitLogin();

        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.username", PostgresDatabase.user());
        config.put("quarkus.datasource.password", PostgresDatabase.password());
        config.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
        config.put("quarkus.datasource.reactive.url", database.reactiveUrl());
        config.put("mp.jwt.verify.publickey.location", TestTokens.PUBLIC_KEY_LOCATION);
        config.put("mp.jwt.verify.issuer", TestTokens.ISSUER);
        config.put("mp.jwt.verify.audiences", TestTokens.AUDIENCE);
        config.put("fetchsms.services.credential", ServiceCredentials.TEST);
        clientSettings(USER, password, true).forEach((name, value) -> config.put("kafka." + name, value));
        return config;
    }

    /**
     * What a client of the SASL_SSL listener is configured with (names without the {@code kafka.} prefix): the
     * listener, the protocol, the login, and, when {@code trustCa}, the CA as a PEM truststore.
     */
    static Map<String, String> clientSettings(String user, String password, boolean trustCa) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", secureBootstrap());
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.mechanism", "SCRAM-SHA-512");
        settings.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        if (trustCa) {
            settings.put("ssl.truststore.type", "PEM");
            settings.put("ssl.truststore.location", caFile().toString());
        }
        return settings;
    }

    /** Waits until the broker takes the user's login on the SASL_SSL listener (its credentials are in its metadata). */
    private static void awaitLogin() {
        Map<String, Object> settings = new LinkedHashMap<>(clientSettings(USER, password, true));
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Admin admin = Admin.create(settings)) {
                admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The broker never took " + USER + "'s login", e);
                }
            }
        }
    }

    /** The password of {@link #USER}. */
    static String password() {
        return password;
    }

    /** The PLAINTEXT listener: the test's own side (reading what the application wrote, writing what it reads). */
    static String plaintextBootstrap() {
        return broker.bootstrapServers();
    }

    /** The SASL_SSL listener, the only one the application is given. */
    static String secureBootstrap() {
        return "127.0.0.1:" + broker.port(LISTENER);
    }

    private static Path caFile() {
        return dir.resolve("ca.crt");
    }

    private static String random() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void keytool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort: a temporary directory
            }
        }
        if (database != null) {
            database.close();
        }
    }
}
