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
 * Arguments: {@code <port> <controllerPort> <dataDir>}. The process exits when its standard input closes, so a
 * broker never outlives the JVM or script that started it.
 */
public final class BrokerMain {

    static final String READY_LINE = "FETCHSMS-KAFKA-READY";
    private static final String CLUSTER_ID = "MkU3OEVBNTcwNTJENDM2Qk";

    private BrokerMain() {
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
        props.put("log.flush.interval.messages", "1");

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
