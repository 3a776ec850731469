package com.fetchsms.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import com.fetchsms.kafka.KafkaBroker;

/**
 * One real Kafka broker per test JVM, started on first use (about a second and a half) and stopped when the JVM exits;
 * its data directory is deleted then.
 */
public final class SharedKafkaBroker {

    private static KafkaBroker broker;

    private SharedKafkaBroker() {
    }

    public static synchronized String bootstrapServers() {
        if (broker == null || !broker.isRunning()) {
            Path dir;
            try {
                dir = Files.createTempDirectory("fetchsms-kafka-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            broker = KafkaBroker.start(0, dir);
            KafkaBroker started = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                delete(dir);
            }, "test-kafka-stop"));
        }
        return broker.bootstrapServers();
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
