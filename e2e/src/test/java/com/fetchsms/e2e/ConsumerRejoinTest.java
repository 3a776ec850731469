package com.fetchsms.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * How soon a replica has its consumers' partitions back after it stopped (decision 0032), on the running stack with
 * its real broker: verification-service, whose durable group {@code verification-service} reads {@code sms.inbound}
 * with three consumers, each the static member {@code verification-<port>-sms-inbound-<n>} (deploy/local/up names the
 * instance after the process). Killed with kill -9 (no shutdown), it has them back as soon as it is up again; stopped
 * cleanly (SIGTERM) it leaves its group at once. With {@code -Dfetchsms.e2e.rejoin.before=true} it also measures the
 * replica as it was before: dynamic members and Kafka's default 45 s session. Each kill hits a process that has run
 * for a minute, so the launcher restarts it after 1 s. The figures are printed and written to
 * {@code e2e/target/rejoin-report.md}.
 */
@Order(950)
class ConsumerRejoinTest extends E2eTest {

    private static final String SERVICE = "verification";
    private static final String GROUP = "verification-service";
    private static final String TOPIC = "sms.inbound";
    /** fetchsms.kafka.session-timeout of the services: what a member that did not leave holds its partitions for. */
    private static final Duration SESSION = Duration.ofSeconds(30);
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    static Faults faults;

    /** One measurement: from the fault to the process serving again and to its partitions all held again. */
    record Rejoin(String how, double readyAfter, double partitionsBackAfter, List<String> members) {
        String row() {
            return String.format("| %s | %.1f s | %.1f s | %s |", how, readyAfter, partitionsBackAfter,
                    String.join(", ", members));
        }
    }

    @BeforeAll
    static void faults() throws IOException {
        faults = new Faults(world().stack);
        Files.deleteIfExists(world().stack.root.resolve("e2e/target/rejoin-report.md"));
        report("| restart | process ready after | partitions back after | members afterwards |",
                "| --- | --- | --- | --- |");
    }

    @AfterAll
    static void close() {
        if (faults != null) {
            faults.release(SERVICE);
            faults.close();
        }
    }

    @Test
    @Order(1)
    void aReplicaStoppedCleanlyLeavesItsGroupAtOnce() {
        awaitAllPartitionsHeld(Set.of());
        faults.hold(SERVICE);
        try {
            long start = System.nanoTime();
            long pgid = faults.terminate(SERVICE);
            Poll.until("verification-service stopped", PATIENCE, () -> Faults.gone(pgid), gone -> gone);
            ConsumerGroupDescription left = Poll.until("its static members gone from the group", SESSION,
                    () -> faults.group(GROUP), g -> g.members().isEmpty());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("[rejoin] SIGTERM: the group had no member %.1f s after the signal (session %d s)%n",
                    seconds, SESSION.toSeconds());
            report(String.format("| SIGTERM (held down): members gone from the group | – | %.1f s | %s |", seconds,
                    left.groupState()));
            assertTrue(seconds < SESSION.toSeconds() / 2.0, "the members left only after " + seconds + " s: as if "
                    + "the stop had not removed them and their session had run out");
        } finally {
            faults.release(SERVICE);
        }
        Poll.until("verification-service back", PATIENCE, () -> faults.ready(SERVICE), ready -> ready);
        awaitAllPartitionsHeld(Set.of());
    }

    @Test
    @Order(2)
    void aReplicaKilledWithKill9HasItsPartitionsBackAsSoonAsItIsUpAgain() {
        Rejoin after = kill9("kill -9, static members (now)");
        assertEquals(3, after.members().size(), "three consumers: " + after.members());
        assertTrue(after.members().stream().allMatch(m -> m.contains("sms-inbound-")),
                "each consumer is a static member named after its process and channel: " + after.members());
        assertTrue(after.partitionsBackAfter() < SESSION.toSeconds(), "partitions back only after "
                + after.partitionsBackAfter() + " s: the dead members' session was waited out");
        assertTrue(after.partitionsBackAfter() - after.readyAfter() < 10, "partitions back "
                + (after.partitionsBackAfter() - after.readyAfter()) + " s after the process was ready");
    }

    @Test
    @Order(3)
    @EnabledIfSystemProperty(named = "fetchsms.e2e.rejoin.before", matches = "true")
    void withoutStaticMembershipTheRestartedReplicaWaitsForTheDeadMembersSession() {
        faults.environment(SERVICE, "FETCHSMS_KAFKA_INSTANCE_ID=", "FETCHSMS_KAFKA_SESSION_TIMEOUT=45s");
        try {
            kill9("(setting up: restarted with dynamic members)");
            Rejoin before = kill9("kill -9, dynamic members, 45 s session (before)");
            assertTrue(before.members().stream().allMatch(m -> m.equals("(dynamic)")), before.members().toString());
            assertTrue(before.partitionsBackAfter() > SESSION.toSeconds(),
                    "without static members the restarted replica waited only " + before.partitionsBackAfter() + " s");
        } finally {
            deleteEnvironment();
            kill9("(restoring: restarted with static members)");
        }
    }

    /**
     * Kills the service with kill -9 and measures until it is ready and its group holds every partition again. Kills
     * a process that has run for a minute, so the launcher restarts it after its first back-off (1 s) every time.
     */
    private static Rejoin kill9(String how) {
        Set<String> before = awaitAllPartitionsHeld(Set.of()).members().stream().map(MemberDescription::consumerId)
                .collect(Collectors.toSet());
        Poll.until(SERVICE + " running for a minute (the launcher's back-off is 1 s again)", PATIENCE,
                () -> faults.uptime(SERVICE), up -> up.compareTo(Duration.ofSeconds(61)) >= 0);
        long start = System.nanoTime();
        long pgid = faults.kill9(SERVICE);
        LongSupplier since = () -> System.nanoTime() - start;
        Poll.until(SERVICE + " restarted and ready", PATIENCE,
                () -> faults.restartedSince(SERVICE, pgid) && faults.ready(SERVICE), ready -> ready);
        double ready = since.getAsLong() / 1e9;
        ConsumerGroupDescription group = awaitAllPartitionsHeld(before);
        double back = since.getAsLong() / 1e9;
        List<String> members = group.members().stream()
                .map(m -> m.groupInstanceId().orElse("(dynamic)")).sorted().toList();
        Rejoin rejoin = new Rejoin(how, ready, back, members);
        System.out.println("[rejoin] " + rejoin.row());
        report(rejoin.row());
        return rejoin;
    }

    /**
     * Waits until the group is stable with every partition of its topic held by members not in {@code dead} (the
     * members of a process that was killed), polling the broker every 100 ms.
     */
    private static ConsumerGroupDescription awaitAllPartitionsHeld(Set<String> dead) {
        int partitions = faults.partitions(TOPIC);
        return Poll.until("every partition of " + TOPIC + " held by a live member of " + GROUP, PATIENCE,
                () -> faults.group(GROUP), group -> {
                    Set<TopicPartition> held = new HashSet<>();
                    for (MemberDescription member : group.members()) {
                        if (dead.contains(member.consumerId())) {
                            return false;
                        }
                        member.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(TOPIC))
                                .forEach(held::add);
                    }
                    return group.groupState() == GroupState.STABLE && held.size() == partitions;
                });
    }

    private static void deleteEnvironment() {
        try {
            Files.deleteIfExists(world().stack.stateDir.resolve("env").resolve(SERVICE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void report(String... lines) {
        Path file = world().stack.root.resolve("e2e/target/rejoin-report.md");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, List.of(lines), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
