package com.fetchsms.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import com.fetchsms.kafka.KafkaBroker;

/**
 * What {@link ServiceTestResource} gives (a fresh database, the test credentials), but with a real Kafka broker of the
 * application's own instead of the JVM's shared one, so a test can take it away: {@link #stopBroker()} stops it (an
 * orderly shutdown of the only node: every connection refused), {@link #restartBroker()} starts it again on the same
 * port and data directory (its topics, records and committed offsets back). Use with
 * {@code @WithTestResource(OwnBrokerTestResource.class)} on the test class (the application restarts for it).
 */
public class OwnBrokerTestResource extends ServiceTestResource {

    private static volatile KafkaBroker broker;
    private static volatile Path dataDir;
    private static volatile int port;

    @Override
    protected String bootstrapServers() {
        try {
            dataDir = Files.createTempDirectory("fetchsms-kafka-own-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = KafkaBroker.start(0, dataDir);
        port = broker.port();
        return brokerAddress();
    }

    /** The own broker's {@code bootstrap.servers}. */
    public static String brokerAddress() {
        return "127.0.0.1:" + port;
    }

    /** Stops the broker (SIGTERM, as an orderly shutdown of the only node). */
    public static void stopBroker() {
        broker.close();
    }

    /** Starts the broker again on the same port with the same data (a no-op while it runs). */
    public static void restartBroker() {
        if (!broker.isRunning()) {
            broker = KafkaBroker.start(port, dataDir);
        }
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
        super.stop();
    }
}
