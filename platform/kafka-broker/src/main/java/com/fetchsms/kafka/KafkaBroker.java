package com.fetchsms.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Parent side of the broker: starts {@link BrokerMain} in a child JVM whose classpath is the one Maven resolved for
 * the {@code provided} Kafka jars (written into this jar at build time). The caller's classpath never sees the
 * broker's Scala and server jars.
 *
 * <p>
 * Used by the test kit (one broker per test JVM, random ports) and by {@code deploy/local/up} through
 * {@link #main(String[])} (fixed port, kept data directory).
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    /**
     * Options of the broker's JVM unless the caller passes its own: a 128 MB heap (the broker's live data here is a few
     * tens of MB once the log cleaner's buffer is 8 MB, see {@link BrokerMain}), the serial collector and the C1
     * compiler only (a test JVM's broker lives a few minutes: compiling for peak speed would cost more CPU than it
     * saves), and no cached temporary direct buffers above 256 KB per thread. Resident size stays near 250 MB.
     * {@code deploy/local/up} passes its own (full tiered compilation for a long-running stack).
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms32m", "-Xmx128m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Djdk.nio.maxCachedBufferSize=262144");

    /**
     * A listener besides the PLAINTEXT one, on 127.0.0.1: its name (as in {@code listener.name.<name lower case>.…}
     * settings), its security protocol ({@code SSL}, {@code SASL_SSL}, {@code SASL_PLAINTEXT}) and port (0: a free
     * one). What it needs besides (keystore, SASL mechanisms) is passed as broker settings.
     */
    public record Listener(String name, String securityProtocol, int port) {
    }

    private final Process process;
    private final int port;
    private final Path logFile;
    private final Map<String, Integer> listenerPorts;

    private KafkaBroker(Process process, int port, Path logFile, Map<String, Integer> listenerPorts) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.listenerPorts = Map.copyOf(listenerPorts);
    }

    /** Starts a broker on {@code port} (0 = a free port) storing its data under {@code dataDir}. */
    public static KafkaBroker start(int port, Path dataDir) {
        return start(port, dataDir, DEFAULT_JVM_OPTIONS, Map.of());
    }

    /**
     * Starts a broker with the given options for its JVM and broker settings added to (or replacing) those of
     * {@link BrokerMain}.
     */
    public static KafkaBroker start(int port, Path dataDir, List<String> jvmOptions, Map<String, String> settings) {
        return start(port, dataDir, jvmOptions, settings, List.of());
    }

    /**
     * Starts a broker as {@link #start(int, Path, List, Map)} does, with {@code listeners} besides its PLAINTEXT one
     * (whose ports {@link #port(String)} tells).
     */
    public static KafkaBroker start(int port, Path dataDir, List<String> jvmOptions, Map<String, String> settings,
            List<Listener> listeners) {
        try {
            Files.createDirectories(dataDir);
            int brokerPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            Path logFile = dataDir.resolve("broker.log");

            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-Djava.awt.headless=true");
            command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
            command.add("-cp");
            command.add(childClasspath());
            command.add(BrokerMain.class.getName());
            command.add(Integer.toString(brokerPort));
            command.add(Integer.toString(controllerPort));
            command.add(dataDir.resolve("data").toString());
            settings.forEach((name, value) -> command.add(name + "=" + value));
            Map<String, Integer> listenerPorts = new LinkedHashMap<>();
            for (Listener listener : listeners) {
                int listenerPort = listener.port() == 0 ? freePort() : listener.port();
                listenerPorts.put(listener.name(), listenerPort);
                command.add(BrokerMain.EXTRA_LISTENER + listener.name() + "=" + listener.securityProtocol() + ":"
                        + listenerPort);
            }

            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .start();
            KafkaBroker broker = new KafkaBroker(process, brokerPort, logFile, listenerPorts);
            broker.awaitReady();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The port of a listener passed to {@link #start(int, Path, List, Map, List)}. */
    public int port(String listener) {
        Integer listenerPort = listenerPorts.get(listener);
        if (listenerPort == null) {
            throw new IllegalArgumentException(
                    "The broker has no listener " + listener + ": " + listenerPorts.keySet());
        }
        return listenerPort;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: the broker's shutdown hook stops it cleanly
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void awaitReady() throws IOException {
        CountDownLatch ready = new CountDownLatch(1);
        InputStream stdout = process.getInputStream();
        Thread pump = new Thread(() -> pumpOutput(stdout, ready), "kafka-broker-log");
        pump.setDaemon(true);
        pump.start();
        try {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!ready.await(200, TimeUnit.MILLISECONDS)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException(
                            "The Kafka broker did not start; its log " + logFile + " ends with:\n"
                                    + tail(logFile));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("Interrupted while starting the Kafka broker", e);
        }
    }

    private void pumpOutput(InputStream stdout, CountDownLatch ready) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8));
                PrintStream log = new PrintStream(Files.newOutputStream(logFile, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND), true, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.println(line);
                if (line.startsWith(BrokerMain.READY_LINE)) {
                    ready.countDown();
                }
            }
        } catch (IOException ignored) {
            // the child is gone
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static String childClasspath() throws IOException {
        try (InputStream in = KafkaBroker.class.getResourceAsStream("broker.classpath")) {
            if (in == null) {
                throw new IllegalStateException("broker.classpath is missing: build fetchsms-kafka-broker with Maven");
            }
            String dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return ownLocation() + java.io.File.pathSeparator + dependencies;
        }
    }

    private static String ownLocation() {
        try {
            return Path.of(KafkaBroker.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /**
     * Runs a broker in the foreground until this JVM is stopped: {@code --port 9092 --data-dir DIR}, optionally
     * {@code --jvm-options "-Xmx128m …"} (replacing {@link #DEFAULT_JVM_OPTIONS}) and {@code --set name=value}
     * (repeatable, a broker setting). The child stops with it.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = 9092;
        Path dataDir = Path.of("kafka");
        List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--data-dir" -> dataDir = Path.of(args[i + 1]);
                case "--jvm-options" -> jvmOptions = Arrays.stream(args[i + 1].trim().split("\\s+"))
                        .filter(o -> !o.isEmpty()).toList();
                case "--set" -> {
                    int eq = args[i + 1].indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--set takes name=value, got '" + args[i + 1] + "'");
                    }
                    settings.put(args[i + 1].substring(0, eq), args[i + 1].substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        KafkaBroker broker = start(port, dataDir, jvmOptions, settings);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-stop"));
        System.out.println("Kafka broker ready at " + broker.bootstrapServers());
        broker.process.waitFor();
    }
}
