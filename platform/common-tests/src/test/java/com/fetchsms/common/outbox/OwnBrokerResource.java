package com.fetchsms.common.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import com.fetchsms.kafka.KafkaBroker;
import com.fetchsms.testkit.PostgresDatabase;
import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The infrastructure of {@link OutboxRelayBrokerOutageTest}: what {@code ServiceTestResource} gives, but with a Kafka
 * broker of its own (not the JVM's shared one) that the test stops and starts again on the same port and data
 * directory, and a producer that gives up on a record within seconds (so passes fail, and are retried, during the
 * outage).
 */
public class OwnBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static volatile KafkaBroker broker;
    private static volatile Path dataDir;
    private static volatile int port;
    private static volatile PostgresDatabase database;

    @Override
    public Map<String, String> start() {
        database = PostgresDatabase.create("common_outage");
        try {
            dataDir = Files.createTempDirectory("fetchsms-kafka-outage-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = KafkaBroker.start(0, dataDir);
        port = broker.port();
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
        // a record not acknowledged within 3 s fails its send (a timeout: the broker is unavailable, not a refusal)
        config.put("mp.messaging.outgoing.fetchsms-outbox.request.timeout.ms", "1000");
        config.put("mp.messaging.outgoing.fetchsms-outbox.delivery.timeout.ms", "3000");
        config.put("mp.messaging.outgoing.fetchsms-outbox.max.block.ms", "3000");
        return config;
    }

    public static String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Stops the broker (SIGTERM, as an orderly shutdown of the only node). */
    public static void stopBroker() {
        broker.close();
    }

    /** Starts the broker again on the same port with the same data: its topics and records are back. */
    public static void restartBroker() {
        broker = KafkaBroker.start(port, dataDir);
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
        if (dataDir != null) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
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
