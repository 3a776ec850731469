package com.fetchsms.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * Entry point of the child JVM: formats the storage directory (once) and runs a single-node KRaft broker that is
 * both controller and broker. Runs only on the classpath written by {@code build-classpath}; the parent side is
 * {@link KafkaBroker}.
 *
 * <p>
 * Arguments: {@code <port> <controllerPort> <dataDir> [name=value …]}; each {@code name=value} sets (or overrides) a
 * broker setting, or adds a listener ({@link #EXTRA_LISTENER}). The process exits when its standard input closes,
 * so a broker never outlives the JVM or script that started it.
 *
 * <p>
 * Two settings differ from Kafka's defaults on purpose, for a single node on a developer machine or a test JVM:
 * <ul>
 * <li>{@code log.cleaner.dedupe.buffer.size} is 8 MB instead of 128 MB. The log cleaner (compacted topics:
 * {@code api-key.changed}, {@code inventory.numbers}, consumer offsets) allocates it on the heap whole, whatever the
 * data: 8 MB maps about 300,000 distinct keys per cleaning pass (a larger backlog takes several passes), and the
 * broker fits in a 128 MB heap and under 300 MB resident.
 * <li>No forced flush: like Kafka's default, an append is acknowledged once it is in the page cache and the operating
 * system writes it out (within about 30 s). A killed broker process loses nothing; only a crash of the machine
 * itself can lose the last seconds of acknowledged records. Forcing an fsync per append
 * ({@code log.flush.interval.messages=1}, as this broker did before) makes every produce wait for the disk: on the
 * benchmark machine a record's produce-to-consume p50 is 15 ms with it and 3 ms without, 46 ms and 5 ms at 200 records
 * per second (docs/performance.md). Production clusters get their durability from
 * replication (three replicas, {@code min.insync.replicas=2}), not from fsync. Pass
 * {@code log.flush.interval.messages=1} to get the old behaviour back.
 * </ul>
 */
public final class BrokerMain {

    static final String READY_LINE = "FETCHSMS-KAFKA-READY";
    /**
     * A setting {@code fetchsms.listener.NAME=PROTOCOL:PORT} adds a listener on 127.0.0.1 (advertised as such) with
     * that security protocol, next to the PLAINTEXT one; its own settings ({@code listener.name.name.…}, keystores,
     * SASL mechanisms) are ordinary settings. Written by {@link KafkaBroker.Listener}.
     */
    static final String EXTRA_LISTENER = "fetchsms.listener.";
    private static final String CLUSTER_ID = "MkU3OEVBNTcwNTJENDM2Qk";

    private BrokerMain() {
    }

    private static void addListener(Properties props, String name, String protocolAndPort) {
        int colon = protocolAndPort.lastIndexOf(':');
        if (name.isEmpty() || colon <= 0) {
            throw new IllegalArgumentException("A listener is " + EXTRA_LISTENER + "NAME=PROTOCOL:PORT, got "
                    + EXTRA_LISTENER + name + "=" + protocolAndPort);
        }
        String address = name + "://127.0.0.1:" + protocolAndPort.substring(colon + 1);
        props.put("listeners", props.getProperty("listeners") + "," + address);
        props.put("advertised.listeners", props.getProperty("advertised.listeners") + "," + address);
        props.put("listener.security.protocol.map", props.getProperty("listener.security.protocol.map") + "," + name
                + ":" + protocolAndPort.substring(0, colon));
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int controllerPort = Integer.parseInt(args[1]);
        Path dataDir = Path.of(args[2]).toAbsolutePath();
        Files.createDirectories(dataDir);

        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.toString());
        props.put("num.partitions", "3");
        props.put("auto.create.topics.enable", "true");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "3");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Broker settings are name=value, got '" + args[i] + "'");
            }
            String name = args[i].substring(0, eq);
            String value = args[i].substring(eq + 1);
            if (name.startsWith(EXTRA_LISTENER)) {
                addListener(props, name.substring(EXTRA_LISTENER.length()), value);
            } else {
                props.put(name, value);
            }
        }

        Path config = dataDir.resolve("server.properties");
        try (var out = Files.newOutputStream(config)) {
            props.store(out, "FetchSMS single-node broker");
        }
        StorageTool.execute(new String[]{"format", "--config", config.toString(), "--cluster-id", CLUSTER_ID,
                "--standalone", "--ignore-formatted"}, System.out);

        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "kafka-shutdown"));
        server.startup();
        System.out.println(READY_LINE + " 127.0.0.1:" + port);
        System.out.flush();

        // Watchdog: the parent holds our stdin; when it goes away (even by SIGKILL) we read EOF and leave.
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // ignore input
                }
            } catch (Exception ignored) {
                // treat a broken stdin like EOF
            }
            System.exit(0);
        }, "parent-watchdog");
        watchdog.setDaemon(false);
        watchdog.start();
    }
}
