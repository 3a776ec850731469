package com.fetchsms.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What the fault suite does to the running stack, from outside as an operator (or a failing machine) would: kills a
 * process of the launcher with SIGKILL (the launcher restarts it), keeps one down ({@code <state>/hold/<name>}),
 * terminates every PostgreSQL connection of the stack's databases, and reads what tells that nothing is stuck: the
 * services' outbox gauges ({@code /q/metrics}) and the consumer groups' lag (Kafka's admin API).
 */
final class Faults implements AutoCloseable {

    /** The launcher's process names with their ports' position in its table (8081… + offset). */
    static final List<String> SERVICES = List.of("catalog", "wallet", "verification", "rental", "sms-ingest",
            "webhook");
    private static final int TABLE_FIRST_PORT = 8081;
    private static final Pattern GAUGE = Pattern.compile(
            "^(fetchsms_outbox_(?:pending|parked))(?:\\{[^}]*})?\\s+(\\S+)$",
            Pattern.MULTILINE);
    private static final Pattern GROUP_ID = Pattern.compile(
            "^mp\\.messaging\\.incoming\\.[^.]+\\.group\\.id=([^$\\s]+)$", Pattern.MULTILINE);

    private final Stack stack;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();
    private Admin admin;

    Faults(Stack stack) {
        this.stack = stack;
    }

    // ---------------------------------------------------------------- processes

    /** The process group the launcher runs {@code name} in now (its pids file: one "pgid name" line per start). */
    long processGroup(String name) {
        try {
            long pgid = -1;
            for (String line : Files.readAllLines(stack.stateDir.resolve("pids"))) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2 && parts[1].equals(name)) {
                    pgid = Long.parseLong(parts[0]);
                }
            }
            if (pgid < 0) {
                throw new IllegalStateException("The launcher started no process named " + name);
            }
            return pgid;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code kill -9} of the whole process group of {@code name} (the broker's launcher and its JVM alike). */
    long kill9(String name) {
        long pgid = processGroup(name);
        run("kill", "-KILL", "--", "-" + pgid);
        return pgid;
    }

    /** SIGTERM to the process group of {@code name}: a clean stop, its shutdown runs (the launcher restarts it). */
    long terminate(String name) {
        long pgid = processGroup(name);
        run("kill", "-TERM", "--", "-" + pgid);
        return pgid;
    }

    /** How long the process the launcher runs {@code name} in has been running. */
    Duration uptime(String name) {
        return ProcessHandle.of(processGroup(name)).flatMap(p -> p.info().startInstant())
                .map(start -> Duration.between(start, java.time.Instant.now())).orElse(Duration.ZERO);
    }

    /** Whether the process group {@code pgid} has no process left. */
    static boolean gone(long pgid) {
        return ProcessHandle.allProcesses().noneMatch(p -> p.pid() == pgid);
    }

    /** Whether the launcher has started {@code name} again since {@code pgid} (a new line in its pids file). */
    boolean restartedSince(String name, long pgid) {
        return processGroup(name) != pgid;
    }

    /** While held, the launcher does not restart {@code name} once it died. */
    void hold(String name) {
        try {
            Files.createDirectories(stack.stateDir.resolve("hold"));
            Files.writeString(stack.stateDir.resolve("hold").resolve(name), "fault suite\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** NAME=value lines the launcher adds to {@code name}'s environment when it restarts it. */
    void environment(String name, String... settings) {
        try {
            Files.createDirectories(stack.stateDir.resolve("env"));
            Files.write(stack.stateDir.resolve("env").resolve(name), List.of(settings));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void release(String name) {
        try {
            Files.deleteIfExists(stack.stateDir.resolve("hold").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port(String name) {
        return switch (name) {
            case "gateway" -> stack.gatewayPort;
            case "kafka" -> stack.kafkaPort;
            default -> TABLE_FIRST_PORT + stack.portOffset + SERVICES.indexOf(name);
        };
    }

    /** {@code /q/health/ready} of a service (or the gateway) answers 200. */
    boolean ready(String name) {
        return get(name, "/q/health/ready") != null;
    }

    /** The body of a 200 answer of a service's own port, or null. */
    private String get(String name, String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + port(name) + path)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    // ---------------------------------------------------------------- the database

    /**
     * {@code pg_terminate_backend} of every connection to the stack's databases (the services' pools, their JDBC
     * connections, the LISTEN ones): what a PostgreSQL restart or a failover does to them. Returns how many.
     */
    int cutDatabaseConnections() {
        String host = env("PGHOST", "127.0.0.1");
        String port = env("PGPORT", "5432");
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres",
                env("PGUSER", "postgres"), env("PGPASSWORD", ""));
                PreparedStatement cut = db.prepareStatement("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
                        + " FROM pg_stat_activity WHERE datname LIKE 'fetchsms\\_%' AND right(datname, ?) = ?"
                        + " AND pid <> pg_backend_pid()")) {
            cut.setInt(1, stack.dbSuffix.length());
            cut.setString(2, stack.dbSuffix);
            try (ResultSet rows = cut.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not terminate the stack's database connections", e);
        }
    }

    // ---------------------------------------------------------------- nothing stuck

    /**
     * {@code fetchsms_outbox_pending} and {@code fetchsms_outbox_parked} of every service, "service.gauge" → value;
     * a service that does not answer is reported with -1.
     */
    Map<String, Double> outboxGauges() {
        Map<String, Double> gauges = new TreeMap<>();
        for (String service : SERVICES) {
            String metrics = get(service, "/q/metrics");
            if (metrics == null) {
                gauges.put(service + ".unreachable", -1.0);
                continue;
            }
            Matcher m = GAUGE.matcher(metrics);
            while (m.find()) {
                gauges.merge(service + "." + m.group(1), Double.parseDouble(m.group(2)), Double::sum);
            }
        }
        return gauges;
    }

    /**
     * The consumer groups the services declare with a fixed id (their application.properties), which must exist once
     * the stack has run: the durable ones, whose committed offsets are what a restart resumes from.
     */
    Set<String> durableGroups() {
        Set<String> groups = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(stack.root)) {
            for (Path dir : dirs.toList()) {
                Path properties = dir.resolve("src/main/resources/application.properties");
                if (Files.isRegularFile(properties)) {
                    Matcher m = GROUP_ID.matcher(Files.readString(properties));
                    while (m.find()) {
                        groups.add(m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return groups;
    }

    /**
     * Where every consumer group to watch stands: the durable groups and every group that has members now (a
     * service's per-start group, e.g. sms-ingest's copy of the inventory), each with the end offsets, now, of the
     * partitions it has committed offsets for. The topics never stop growing (sms-ingest sends an arrival watermark to
     * every partition of sms.inbound each second, decision 0016), so "caught up" means: consumed up to these.
     */
    Map<String, Map<TopicPartition, Long>> endOffsets() {
        Map<String, Map<TopicPartition, Long>> ends = new TreeMap<>();
        try {
            Admin kafka = admin();
            Set<String> wanted = new TreeSet<>(durableGroups());
            List<String> all = new ArrayList<>();
            for (GroupListing listing : kafka.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(10,
                    TimeUnit.SECONDS)) {
                all.add(listing.groupId());
            }
            Map<String, ConsumerGroupDescription> described = all.isEmpty()
                    ? Map.of()
                    : kafka.describeConsumerGroups(all).all().get(10, TimeUnit.SECONDS);
            described.forEach((id, d) -> {
                if (!d.members().isEmpty()) {
                    wanted.add(id);
                }
            });
            for (String group : wanted) {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed(kafka, group).keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                Map<TopicPartition, Long> groupEnds = new HashMap<>();
                if (!latest.isEmpty()) {
                    kafka.listOffsets(latest).all().get(10, TimeUnit.SECONDS)
                            .forEach((tp, info) -> groupEnds.put(tp, info.offset()));
                }
                ends.put(group, groupEnds);
            }
            return ends;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka's admin API did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Records of {@code targets} not yet consumed, per group: the end offsets taken earlier less the group's committed
     * offsets (a group without any committed offset counts -1). A per-start group left without members is not
     * counted: its process was stopped or killed (its members listed until their session ended), and the process that
     * replaced it reads through a group of its own.
     */
    Map<String, Long> behind(Map<String, Map<TopicPartition, Long>> targets) {
        Map<String, Long> behind = new TreeMap<>();
        try {
            Admin kafka = admin();
            Set<String> durable = durableGroups();
            List<String> perStart = targets.keySet().stream().filter(g -> !durable.contains(g)).toList();
            Map<String, ConsumerGroupDescription> described = perStart.isEmpty()
                    ? Map.of()
                    : kafka.describeConsumerGroups(perStart).all().get(10, TimeUnit.SECONDS);
            for (Map.Entry<String, Map<TopicPartition, Long>> group : targets.entrySet()) {
                ConsumerGroupDescription description = described.get(group.getKey());
                if (description != null && description.members().isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> committed = committed(kafka, group.getKey());
                if (committed.isEmpty() && durable.contains(group.getKey())) {
                    behind.put(group.getKey(), -1L);
                    continue;
                }
                long records = 0;
                for (Map.Entry<TopicPartition, Long> end : group.getValue().entrySet()) {
                    OffsetAndMetadata at = committed.get(end.getKey());
                    records += Math.max(0, end.getValue() - (at == null ? 0 : at.offset()));
                }
                behind.put(group.getKey(), records);
            }
            return behind;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return Map.of("kafka.unreachable", -1L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of("interrupted", -1L);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin kafka, String group)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        kafka.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                .forEach((tp, at) -> {
                    if (at != null) {
                        committed.put(tp, at);
                    }
                });
        return committed;
    }

    /** The consumer group as the broker describes it now (members, their static ids and partitions, its state). */
    ConsumerGroupDescription group(String group) {
        try {
            return admin().describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka's admin API did not describe " + group, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The number of partitions of {@code topic}. */
    int partitions(String topic) {
        try {
            return admin().describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                    .partitions().size();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka's admin API did not describe " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Properties config = new Properties();
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + stack.kafkaPort);
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
            admin = Admin.create(config);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }

    private static void run(String... command) {
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
