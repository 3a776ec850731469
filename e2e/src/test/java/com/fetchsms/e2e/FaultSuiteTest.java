package com.fetchsms.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fault suite: under a steady mixed load through the gateway ({@link FaultLoad}), it kills each service and the
 * gateway in turn with {@code kill -9} (the launcher restarts them), cuts every database connection of the stack,
 * re-delivers SMS five times at once, and stops the Kafka broker for 30 s (killed and held down, then restarted on
 * the same data) while codes keep arriving. For each fault it measures, through the gateway, what clients saw (answers
 * by status) and when a purchase followed by its code worked again end to end. Then, through the API: every code the
 * platform accepted while its purchase was waiting is visible, once; every account's ledger balances and every debit
 * has exactly one outcome; no purchase is left without a final answer; and nothing is stuck: no outbox row pending or
 * parked, no consumer group behind.
 *
 * <p>
 * {@code -Dfetchsms.faults=long} (the {@code faults-long} Maven profile): rounds of these faults for about
 * 17 minutes, and verifications bought 15 minutes before the broker stops, whose SMS arrives while it is down and
 * whose 15-minute window closes during the outage (a code that reached the platform in time must still be released).
 * The report is printed and written to {@code e2e/target/fault-report.md}. Runs after every other scenario, before
 * the money invariant over every account.
 */
@Order(Integer.MAX_VALUE - 1)
class FaultSuiteTest extends E2eTest {

    static final boolean LONG = "long".equals(System.getProperty("fetchsms.faults", "short"));
    static final Duration KAFKA_OUTAGE = Duration.ofSeconds(Long.getLong("fetchsms.faults.kafka-outage-seconds", 30));
    /** Load between two faults. */
    static final Duration SETTLE = LONG ? Duration.ofSeconds(20) : Duration.ofSeconds(1);
    static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(3);
    /**
     * Short run: verification-service is restarted (its kill) with this window, so that verifications bought after it
     * have their window close during the broker's outage within the CI budget. The long run keeps the 15 minutes.
     */
    static final String SHORT_WINDOW = System.getProperty("fetchsms.faults.short-window", "30s");
    /**
     * Long run: the human 15-minute window unless this is set (e.g. {@code 5m}): verification-service is then restarted
     * with it first, and the run is about as much shorter.
     */
    static final String LONG_WINDOW = System.getProperty("fetchsms.faults.long-window", "");
    static final String RENTAL_AREA_CODE = "219";
    static final List<String> VERIFICATION_AREA_CODES = LONG ? List.of("207", "208", "209") : List.of("207");

    /** What one fault did to the clients. */
    record FaultResult(String name, String how, Instant injected, Instant restored, Instant serving,
            Instant recovered, Map<String, Long> statuses, long requests) {

        String row() {
            String errors = statuses.entrySet().stream().filter(e -> !e.getKey().startsWith("2"))
                    .map(e -> e.getKey() + " × " + e.getValue()).collect(Collectors.joining(", "));
            return String.format("| %s | %s | %d | %s | %s | %s |", name, how, requests,
                    errors.isEmpty() ? "none" : errors,
                    serving == null ? "–" : String.format("%.1f s", seconds(injected, serving)),
                    recovered == null ? "(below)" : String.format("%.1f s", seconds(restored, recovered)));
        }
    }

    static Faults faults;
    static FaultLoad load;
    static World.ModemGateway modem;
    static Customer probe;
    static final List<Customer> loadCustomers = new ArrayList<>();
    static final List<FaultResult> results = new ArrayList<>();
    /** SMS accepted while the broker was down, and (long run) those whose window closed during the outage. */
    static final List<FaultLoad.Sms> duringOutage = new ArrayList<>();
    static final List<FaultLoad.Sms> lateWindow = new ArrayList<>();
    static final List<String> redeliveryProblems = new ArrayList<>();
    static final List<String> report = new ArrayList<>();
    static Instant started;
    static Instant classStarted;
    static int probeTurn;

    @BeforeAll
    static void stockAndCustomers() {
        classStarted = Instant.now();
        faults = new Faults(world().stack);
        modem = createGateway("fault-suite modem");
        for (String areaCode : VERIFICATION_AREA_CODES) {
            importNumbers(areaCode, 100);
        }
        importNumbers(RENTAL_AREA_CODE, LONG ? 100 : 30);
        load = new FaultLoad(world().stack.baseUrl, modem.token(), VERIFICATION_AREA_CODES, RENTAL_AREA_CODE,
                LONG ? 90 : 25);
        for (int i = 0; i < (LONG ? 4 : 3); i++) {
            loadCustomers.add(world().newCustomer("fault-load", 500_000));
        }
        probe = world().newCustomer("fault-probe", 500_000);
    }

    @AfterAll
    static void closeFaults() {
        if (faults != null) {
            faults.release("kafka");
            faults.close();
        }
    }

    @Test
    @Order(1)
    void faultsUnderSteadyLoad() throws Exception {
        started = Instant.now();
        load.start(loadCustomers, Duration.ofMillis(300));
        sleep(Duration.ofSeconds(LONG ? 30 : 5));
        List<FaultLoad.Purchase> late = new ArrayList<>();
        try {
            if (LONG) {
                if (!LONG_WINDOW.isEmpty()) {
                    faults.environment("verification", "FETCHSMS_VERIFICATION_WINDOW=" + LONG_WINDOW);
                    Instant injected = Instant.now();
                    long pgid = faults.kill9("verification");
                    results.add(recover("kill -9 verification (window " + LONG_WINDOW + ")", "SIGKILL; the launcher "
                            + "restarts it with FETCHSMS_VERIFICATION_WINDOW=" + LONG_WINDOW, injected, injected,
                            () -> faults.restartedSince("verification", pgid) && faults.ready("verification"),
                            "verification"));
                }
                for (int i = 0; i < 3; i++) {
                    late.add(buy(probe, "verifications"));
                }
                Instant kafkaAt = late.stream().map(p -> p.expiresAt).min(Instant::compareTo).orElseThrow()
                        .minus(KAFKA_OUTAGE.dividedBy(2));
                System.out.printf("[faults] long run: the broker stops at %s, while the window of %d verifications "
                        + "closes%n", kafkaAt, late.size());
                Duration round = Duration.ofMinutes(6); // a round's length on the 2-core machine, until one is measured
                while (Instant.now().plus(round).plus(Duration.ofSeconds(30)).isBefore(kafkaAt)) {
                    Instant roundStart = Instant.now();
                    faultRound();
                    round = Duration.between(roundStart, Instant.now());
                }
                sleepUntil(kafkaAt);
                kafkaOutage(late);
                faultRound();
            } else {
                faultRound();
                for (int i = 0; i < 3; i++) {
                    late.add(buy(probe, "verifications"));
                }
                sleepUntil(late.stream().map(p -> p.expiresAt).min(Instant::compareTo).orElseThrow()
                        .minus(KAFKA_OUTAGE.dividedBy(2)));
                kafkaOutage(late);
            }
        } catch (Throwable failed) {
            // A round that fails leaves no load running behind it: the money checks after this test read a
            // settled stack, not purchases still on their way (which would look like money out of place).
            load.stop();
            load.drain(Duration.ofMinutes(2));
            writeReport();
            throw failed;
        }
        sleep(Duration.ofSeconds(LONG ? 30 : 2));
        load.stop();
        List<Object> left = load.drain(Duration.ofMinutes(2));
        writeReport();
        assertEquals(List.of(), left, "every purchase got a final answer, every cancel was answered, every SMS was"
                + " accepted (left: purchases without a final answer, cancels, SMS)");
        assertTrue(redeliveryProblems.isEmpty(), String.join("\n", redeliveryProblems));
    }

    /**
     * Each service and the gateway killed in turn, every database connection cut, SMS re-delivered five times. The
     * long run waits after each kill until a purchase gets its code end to end again; the short one (CI) only until
     * the process is ready, and measures the end-to-end recovery once, after the last kill.
     */
    private static void faultRound() throws Exception {
        for (String name : List.of("verification", "catalog", "wallet", "rental", "sms-ingest", "webhook",
                "gateway")) {
            if (!LONG && name.equals("verification")) {
                faults.environment(name, "FETCHSMS_VERIFICATION_WINDOW=" + SHORT_WINDOW);
            }
            Instant injected = Instant.now();
            long pgid = faults.kill9(name);
            BooleanSupplier back = () -> faults.restartedSince(name, pgid) && faults.ready(name);
            results.add(LONG
                    ? recover("kill -9 " + name, "SIGKILL of its process group; the launcher restarts it",
                            injected, injected, back, name)
                    : restarted("kill -9 " + name, injected, back));
            sleep(SETTLE);
        }
        if (!LONG) {
            Instant last = Instant.now();
            results.add(recover("all seven killed in turn (above)", "a purchase and its code, end to end, after the"
                    + " last restart", last, last, null, null));
        }
        Instant injected = Instant.now();
        int cut = faults.cutDatabaseConnections();
        results.add(recover("database connections cut", "pg_terminate_backend of " + cut + " connections",
                injected, injected, null, null));
        sleep(SETTLE);
        redeliverFiveTimes();
        sleep(SETTLE);
    }

    /** The broker killed and held down for KAFKA_OUTAGE, SMS arriving meanwhile, then restarted on its data. */
    private static void kafkaOutage(List<FaultLoad.Purchase> late) throws Exception {
        Instant injected = Instant.now();
        faults.hold("kafka");
        long pgid = faults.kill9("kafka");
        sleep(Duration.ofSeconds(5));
        // SMS are accepted without the broker (stored, their events wait in the outbox): those of verifications whose
        // window closes during the outage, and of purchases made now (REST between services), must all be released
        // once the broker is back.
        for (FaultLoad.Purchase purchase : late) {
            assertTrue(purchase.expiresAt.isBefore(injected.plus(KAFKA_OUTAGE)),
                    "the window closes while the broker is down: " + purchase + " until " + purchase.expiresAt);
            FaultLoad.Sms sms = deliverUntilAccepted(purchase);
            assertTrue(sms.acceptedAt.isBefore(purchase.expiresAt), "accepted before the window closed: " + sms);
            lateWindow.add(sms);
        }
        for (int i = 0; i < 3; i++) {
            FaultLoad.Purchase purchase = buy(probe, "verifications");
            duringOutage.add(deliverUntilAccepted(purchase));
        }
        sleepUntil(injected.plus(KAFKA_OUTAGE));
        faults.release("kafka");
        Instant restored = Instant.now();
        results.add(recover("Kafka broker down " + KAFKA_OUTAGE.toSeconds() + " s",
                "SIGKILL, held down, restarted on the same data", injected, restored,
                () -> faults.restartedSince("kafka", pgid), null));
    }

    /** The short run's kill: waits until the process is back and ready; counts what the clients saw meanwhile. */
    private static FaultResult restarted(String name, Instant injected, BooleanSupplier back) {
        Poll.until(name + ": the process back and ready", RECOVERY_TIMEOUT, back::getAsBoolean, b -> b);
        Instant serving = Instant.now();
        FaultResult result = new FaultResult(name, "SIGKILL of its process group; the launcher restarts it",
                injected, injected, serving, null, statuses(injected, serving), requests(injected, serving));
        System.out.println("[faults] " + result.row());
        return result;
    }

    /**
     * Waits until the fault is over: the process is back ({@code back}, when given) and a purchase followed by its
     * SMS gets its code end to end (plus the killed service's own reads). Counts what the load's clients saw from the
     * injection to then.
     */
    private static FaultResult recover(String name, String how, Instant injected, Instant restored,
            BooleanSupplier back, String service) {
        Instant serving = null;
        if (back != null) {
            Poll.until(name + ": the process back and ready", RECOVERY_TIMEOUT, back::getAsBoolean, b -> b);
            serving = Instant.now();
        }
        FaultLoad.Purchase purchase = buy(probe, "verifications");
        FaultLoad.Sms sms = deliverUntilAccepted(purchase);
        Poll.until(name + ": the probe's code released (its SMS accepted at " + sms.acceptedAt + ", sent at "
                + sms.sentAt + ", the window closing at " + purchase.expiresAt + ")", RECOVERY_TIMEOUT,
                () -> load.send(probe.apiKey, "GET", "/verifications/" + purchase.id, null, null),
                a -> a.ok() && sms.code.equals(a.text("code")));
        if ("rental".equals(service)) {
            Poll.until("rentals listed", RECOVERY_TIMEOUT,
                    () -> load.send(probe.apiKey, "GET", "/rentals?tab=active", null, null), FaultLoad.Answer::ok);
        } else if ("webhook".equals(service)) {
            Poll.until("webhooks listed", RECOVERY_TIMEOUT,
                    () -> load.send(probe.session, "GET", "/webhooks", null, null), FaultLoad.Answer::ok);
        }
        Instant recovered = Instant.now();
        FaultResult result = new FaultResult(name, how, injected, restored, serving, recovered,
                statuses(injected, recovered), requests(injected, recovered));
        System.out.println("[faults] " + result.row());
        return result;
    }

    /** The load's answers from {@code from} to {@code to}, by status. */
    private static Map<String, Long> statuses(Instant from, Instant to) {
        return load.samples.stream().filter(s -> s.at() >= from.toEpochMilli() && s.at() <= to.toEpochMilli())
                .collect(Collectors.groupingBy(FaultLoad.Sample::label, TreeMap::new, Collectors.counting()));
    }

    private static long requests(Instant from, Instant to) {
        return load.samples.stream().filter(s -> s.at() >= from.toEpochMilli() && s.at() <= to.toEpochMilli())
                .count();
    }

    /** Five posts of one SMS at once (same gateway message id): one message, one code, four duplicates. */
    private static void redeliverFiveTimes() throws Exception {
        Instant injected = Instant.now();
        List<FaultLoad.Sms> sent = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            for (String kind : List.of("verifications", "verifications", "rentals")) {
                FaultLoad.Purchase purchase = buy(probe, kind);
                FaultLoad.Sms sms = newSms(purchase);
                List<Callable<FaultLoad.Answer>> posts = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    posts.add(() -> Poll.until("a 2xx for " + sms, RECOVERY_TIMEOUT, () -> load.postSms(sms),
                            FaultLoad.Answer::ok));
                }
                List<FaultLoad.Answer> answers = new ArrayList<>();
                for (Future<FaultLoad.Answer> answer : pool.invokeAll(posts)) {
                    answers.add(answer.get());
                }
                sms.sentAt = injected;
                sms.acceptedAt = Instant.now();
                Set<String> ids = answers.stream().map(a -> a.text("id")).collect(Collectors.toSet());
                long firsts = answers.stream().filter(a -> !a.body().path("duplicate").asBoolean(true)).count();
                if (ids.size() != 1 || firsts != 1) {
                    redeliveryProblems.add(sms + ": five deliveries answered " + answers);
                }
                sent.add(sms);
            }
        } finally {
            pool.shutdownNow();
        }
        for (FaultLoad.Sms sms : sent) {
            Poll.until("the code of " + sms, RECOVERY_TIMEOUT, () -> visibleCount(sms), n -> n >= 1);
        }
        Instant recovered = Instant.now();
        results.add(new FaultResult("SMS re-delivered 5 times", "5 concurrent posts, same gateway_message_id, "
                + sent.size() + " SMS", injected, injected, null, recovered, Map.of(), 0));
    }

    // ---------------------------------------------------------------- the checks, through the API

    @Test
    @Order(2)
    void everyCodeAcceptedWhileItsPurchaseWaitedIsVisibleOnce() {
        // Accepted while waiting: the 2xx came before the window closed. An SMS sent before but answered after is
        // left out (the platform may have taken it on either side of the close); one sent after is too late.
        List<FaultLoad.Sms> accepted = load.messages.stream()
                .filter(m -> m.acceptedAt != null && m.acceptedAt.isBefore(m.purchase.expiresAt)).toList();
        long straddling = load.messages.stream().filter(m -> m.acceptedAt != null
                && !m.acceptedAt.isBefore(m.purchase.expiresAt) && m.sentAt.isBefore(m.purchase.expiresAt)).count();
        long tooLate = load.messages.stream().filter(m -> m.sentAt != null
                && !m.sentAt.isBefore(m.purchase.expiresAt)).count();
        assertTrue(accepted.size() >= 10, "the load delivered codes: " + accepted.size());
        Map<FaultLoad.Sms, Integer> lost = new LinkedHashMap<>();
        List<FaultLoad.Sms> pending = new ArrayList<>(accepted);
        try {
            // asks again for the codes not visible yet, until none is left
            Awaitility.await("every accepted code visible").atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        lost.clear();
                        for (FaultLoad.Sms sms : pending) {
                            if (visibleCount(sms) == 0) {
                                lost.put(sms, 0);
                            }
                        }
                        pending.retainAll(lost.keySet());
                        return lost.isEmpty();
                    });
        } catch (ConditionTimeoutException e) {
            // reported and asserted below, with what is still lost
        }
        // every code that is visible, counted again now that all are: a copy released twice shows as a second one
        Map<FaultLoad.Sms, Integer> twice = new LinkedHashMap<>();
        for (FaultLoad.Sms sms : accepted) {
            if (!lost.containsKey(sms)) {
                int seen = visibleCount(sms);
                if (seen > 1) {
                    twice.put(sms, seen);
                }
            }
        }
        long outageLost = duringOutage.stream().filter(lost::containsKey).count();
        long lateLost = lateWindow.stream().filter(lost::containsKey).count();
        report.add(String.format("codes accepted while their purchase waited: %d (by the probe during the broker "
                + "outage: %d; by the probe with the window closing during the outage: %d); lost: %d (%d of the "
                + "outage's, %d of the closing windows); released twice: %d; left out: %d sent before the window "
                + "closed but answered after, %d sent after", accepted.size(), duringOutage.size(),
                lateWindow.size(), lost.size(), outageLost, lateLost, twice.size(), straddling, tooLate));
        lost.keySet().forEach(sms -> report.add("LOST: " + sms + " → " + describe(sms)));
        twice.keySet().forEach(sms -> report.add("TWICE: " + sms + " → " + describe(sms)));
        writeReport();
        assertEquals(Map.of(), twice, "no code released twice");
        assertEquals(Map.of(), lost, "every code accepted while its purchase waited is visible");
    }

    /** How often the SMS's code shows on its purchase: the verification's code, or the rental's messages. */
    private static int visibleCount(FaultLoad.Sms sms) {
        FaultLoad.Purchase p = sms.purchase;
        if ("verifications".equals(p.kind)) {
            FaultLoad.Answer answer = load.send(p.customer.apiKey, "GET", "/verifications/" + p.id, null, null);
            return answer.ok() && "received".equals(answer.text("status")) && sms.code.equals(answer.text("code"))
                    ? 1
                    : 0;
        }
        FaultLoad.Answer answer = load.send(p.customer.apiKey, "GET", "/rentals/" + p.id + "/messages", null, null);
        int seen = 0;
        if (answer.ok()) {
            for (JsonNode message : answer.body()) {
                if (sms.text.equals(message.path("body").asText()) && sms.code.equals(message.path("code").asText())) {
                    seen++;
                }
            }
        }
        return seen;
    }

    private static String describe(FaultLoad.Sms sms) {
        FaultLoad.Purchase p = sms.purchase;
        String path = "verifications".equals(p.kind) ? "/verifications/" + p.id : "/rentals/" + p.id + "/messages";
        FaultLoad.Answer answer = load.send(p.customer.apiKey, "GET", path, null, null);
        return answer.status() + " " + answer.body() + " (accepted " + sms.acceptedAt + ", window until "
                + p.expiresAt + ")";
    }

    @Test
    @Order(3)
    void everyLedgerBalancesAndEveryDebitHasOneOutcome() {
        List<Customer> customers = new ArrayList<>(loadCustomers);
        customers.add(probe);
        long centsLost = 0;
        long refundedTwice = 0;
        List<String> problems = new ArrayList<>();
        for (Customer customer : customers) {
            List<Map<String, Object>> purchases = new ArrayList<>(customer.purchases("verifications"));
            purchases.addAll(customer.purchases("rentals"));
            long ended = purchases.stream().filter(p -> Set.of("cancelled", "expired").contains(p.get("status"))
                    && p.get("code") == null && p.get("last_code") == null).count();
            List<Customer.LedgerItem> ledger = Poll.until(ended + " refunds in " + customer + "'s ledger", ASYNC,
                    customer::ledger, items -> items.stream().filter(i -> i.type().equals("refund")).count() >= ended);
            long balance = customer.balance();
            long sum = ledger.stream().mapToLong(Customer.LedgerItem::amountCents).sum();
            if (sum != balance) {
                problems.add(customer + ": the ledger adds up to " + sum + " but the balance is " + balance);
                centsLost += Math.abs(sum - balance);
            }
            Map<String, List<Customer.LedgerItem>> debits = new HashMap<>();
            Map<String, List<Customer.LedgerItem>> refunds = new HashMap<>();
            for (Customer.LedgerItem item : ledger) {
                if (item.type().equals("debit")) {
                    debits.computeIfAbsent(item.ref(), r -> new ArrayList<>()).add(item);
                } else if (item.type().equals("refund")) {
                    refunds.computeIfAbsent(item.ref(), r -> new ArrayList<>()).add(item);
                }
            }
            Map<String, Map<String, Object>> byRef = new HashMap<>();
            purchases.forEach(p -> byRef.put((String) p.get("ref"), p));
            for (Map.Entry<String, List<Customer.LedgerItem>> debit : debits.entrySet()) {
                Map<String, Object> purchase = byRef.get(debit.getKey());
                long charged = -debit.getValue().stream().mapToLong(Customer.LedgerItem::amountCents).sum();
                long refunded = refunds.getOrDefault(debit.getKey(), List.of()).stream()
                        .mapToLong(Customer.LedgerItem::amountCents).sum();
                if (purchase == null) {
                    problems.add(customer + ": a debit of " + charged + " for " + debit.getKey()
                            + ", which no verification or rental of the account shows");
                    centsLost += charged - refunded;
                    continue;
                }
                long cost = ((Number) purchase.get("cost_cents")).longValue();
                boolean withCode = purchase.get("code") != null || purchase.get("last_code") != null
                        || Set.of("received", "active").contains(purchase.get("status"));
                boolean endedWithout = Set.of("cancelled", "expired").contains(purchase.get("status")) && !withCode;
                if (debit.getValue().size() > 1 || charged != cost) {
                    problems.add(
                            customer + ": " + debit.getValue().size() + " debits of " + charged + " for " + purchase);
                    centsLost += charged - cost;
                }
                if (withCode && refunded != 0) {
                    problems.add(customer + ": charged and refunded " + refunded + ": " + purchase);
                    refundedTwice++;
                    centsLost += refunded; // the platform's cents
                } else if (endedWithout && refunded != cost) {
                    problems.add(customer + ": ended without a code, refunded " + refunded + " of " + cost + ": "
                            + purchase);
                    centsLost += Math.abs(cost - refunded);
                    if (refunded > cost) {
                        refundedTwice++;
                    }
                } else if (!withCode && !endedWithout) {
                    problems.add(customer + ": a purchase without an outcome: " + purchase);
                }
            }
            for (String ref : byRef.keySet()) {
                if (!debits.containsKey(ref)) {
                    problems.add(customer + ": " + ref + " was never charged: " + byRef.get(ref));
                }
            }
            report.add(String.format("%s: %d ledger lines, %d purchases, balance %d", customer, ledger.size(),
                    purchases.size(), balance));
        }
        Map<Integer, Long> finals = load.purchases.stream().filter(p -> p.settled)
                .collect(Collectors.groupingBy(p -> p.finalStatus, TreeMap::new, Collectors.counting()));
        report.add("the load's purchases by final answer: " + finals + "; cents lost: " + centsLost
                + "; refunded twice: " + refundedTwice);
        problems.forEach(p -> report.add("MONEY: " + p));
        writeReport();
        assertEquals(List.of(), problems, "every ledger balances and every debit has exactly one outcome");
    }

    @Test
    @Order(4)
    void nothingIsStuck() {
        Map<String, Double> gauges = Poll.until("no outbox row pending or parked in any service", ASYNC,
                faults::outboxGauges, g -> !g.isEmpty() && g.values().stream().allMatch(v -> v == 0.0)
                        && g.keySet().stream().filter(k -> k.endsWith("fetchsms_outbox_pending"))
                                .count() == Faults.SERVICES.size());
        Map<String, Map<org.apache.kafka.common.TopicPartition, Long>> ends = faults.endOffsets();
        assertTrue(ends.keySet().containsAll(faults.durableGroups()), "every durable consumer group exists: " + ends);
        // a consumer cut off by the broker's outage may get its partitions back only once the dead members' session
        // (45 s; 30 s in the durable groups, whose restarted static members take their places at once) has expired:
        // wait longer than that, then for the catch-up
        Map<String, Long> lag = Poll.until("every consumer group caught up with the end offsets of now",
                Duration.ofSeconds(120),
                () -> faults.behind(ends), l -> l.values().stream().allMatch(v -> v == 0L));
        report.add("outbox: " + gauges);
        report.add("consumer groups behind the end offsets taken after the load (records): " + lag);
        report.add(String.format("the fault suite took %.0f s (set-up, faults, checks)", seconds(classStarted,
                Instant.now())));
        writeReport();
    }

    // ---------------------------------------------------------------- helpers

    /** A purchase by the probe, its key retried until a final answer, which must be a 201. */
    private static FaultLoad.Purchase buy(Customer customer, String kind) {
        Map<String, Object> body = new LinkedHashMap<>();
        if ("rentals".equals(kind)) {
            body.put("service", 1);
            body.put("days", 1);
            body.put("area_code", RENTAL_AREA_CODE);
        } else {
            body.put("service", FaultLoad.SERVICES.get(probeTurn++ % FaultLoad.SERVICES.size()).getKey());
            body.put("area_code", VERIFICATION_AREA_CODES.get(probeTurn % VERIFICATION_AREA_CODES.size()));
        }
        FaultLoad.Purchase purchase = new FaultLoad.Purchase(kind, body, customer, false);
        FaultLoad.Answer answer = Poll.until("a final answer to " + purchase, RECOVERY_TIMEOUT,
                () -> load.send(customer.apiKey, "POST", "/" + kind, body, purchase.key), FaultLoad.Answer::settled);
        assertEquals(201, answer.status(), "bought: " + answer.body());
        purchase.settled = true;
        purchase.finalStatus = 201;
        purchase.id = answer.text("id");
        purchase.number = answer.text("number");
        purchase.expiresAt = Instant.parse(answer.text("expires_at"));
        load.purchases.add(purchase);
        return purchase;
    }

    private static FaultLoad.Sms newSms(FaultLoad.Purchase purchase) {
        String sender = "rentals".equals(purchase.kind)
                ? "Telegram"
                : FaultLoad.SERVICES.stream().filter(s -> s.getKey().equals(purchase.body.get("service")))
                        .findFirst().orElseThrow().getValue();
        String code = code(6);
        FaultLoad.Sms sms = new FaultLoad.Sms(purchase, sender, sender + " code: " + code
                + ". Do not share it with anyone.", code);
        load.messages.add(sms);
        return sms;
    }

    /** The modem gateway posts the purchase's SMS until a 2xx. */
    private static FaultLoad.Sms deliverUntilAccepted(FaultLoad.Purchase purchase) {
        FaultLoad.Sms sms = newSms(purchase);
        Poll.until("a 2xx for " + sms, RECOVERY_TIMEOUT, () -> load.postSms(sms), FaultLoad.Answer::ok);
        sms.accepted();
        return sms;
    }

    private static World.ModemGateway createGateway(String name) {
        JsonNode created = asJson(world().admin().body(Map.of("name", name)).post("/admin/gateways").then()
                .statusCode(201).extract().asString());
        return new World.ModemGateway(created.path("id").asText(), name, created.path("token").asText());
    }

    /** {@code count} numbers +1 AAA 555 01NN for the suite's own modem gateway, in imports of 50. */
    private static void importNumbers(String areaCode, int count) {
        for (int from = 0; from < count; from += 50) {
            List<String> numbers = new ArrayList<>();
            for (int n = from; n < Math.min(count, from + 50); n++) {
                numbers.add(String.format("+1%s55501%02d", areaCode, n));
            }
            world().admin().body(Map.of("gateway_id", modem.id(), "numbers", numbers)).post("/admin/numbers").then()
                    .statusCode(201);
        }
    }

    private static JsonNode asJson(String body) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the faults' table and the checks' findings to e2e/target/fault-report.md (and the output). */
    private static synchronized void writeReport() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("Fault suite (%s), %s, %d requests of load in %.0f s", LONG ? "long" : "short",
                started, load.samples.size(), seconds(started, Instant.now())));
        lines.add("");
        lines.add("| fault | how | requests during it | client-visible errors (status × count) | process ready after"
                + " | end-to-end recovery after the fault ended |");
        lines.add("| --- | --- | --- | --- | --- | --- |");
        results.forEach(r -> lines.add(r.row()));
        lines.add("");
        Map<String, Long> all = load.samples.stream()
                .collect(Collectors.groupingBy(FaultLoad.Sample::label, TreeMap::new, Collectors.counting()));
        lines.add("all requests of the load by status: " + all);
        report.forEach(line -> lines.add("- " + line));
        lines.forEach(line -> System.out.println("[faults] " + line));
        try {
            Path file = world().stack.root.resolve("e2e/target/fault-report.md");
            Files.createDirectories(file.getParent());
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.out.println("[faults] could not write the report: " + e);
        }
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleepUntil(Instant when) {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            sleep(Duration.ofMillis(millis));
        }
    }
}
