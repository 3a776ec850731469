package com.fetchsms.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import com.fetchsms.kafka.KafkaBroker;

/**
 * {@link ServiceTestResource} with a Kafka broker of its own instead of the shared one, so a test can take the broker
 * away ({@link #stopBroker()}) and bring it back on the same port with the same data ({@link #startBroker()}) — a real
 * broker outage — without disturbing the other test classes of the JVM. Use it in place of
 * {@link ServiceTestResource}: {@code @WithTestResource(OwnKafkaBrokerTestResource.class)}.
 */
public class OwnKafkaBrokerTestResource extends ServiceTestResource {

    private static KafkaBroker broker;
    private static Path dataDir;
    private static int port;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        try {
            dataDir = Files.createTempDirectory("fetchsms-own-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = KafkaBroker.start(0, dataDir);
        port = broker.port();
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        return config;
    }

    /** Stops the broker (SIGTERM, as an orderly broker shutdown); its port stays unanswered until {@link #startBroker}. */
    public static synchronized void stopBroker() {
        broker.close();
    }

    /** Starts the broker again on the same port with the data it had. */
    public static synchronized void startBroker() {
        if (!broker.isRunning()) {
            broker = KafkaBroker.start(port, dataDir);
        }
    }

    @Override
    public void stop() {
        super.stop();
        synchronized (OwnKafkaBrokerTestResource.class) {
            if (broker != null) {
                broker.close();
            }
        }
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
