package com.fetchsms.ingest;

import static com.fetchsms.ingest.Fixtures.count;
import static com.fetchsms.ingest.Fixtures.sms;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.Topics;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Single reports (one per request) that arrive while their gateway's transactions are busy wait, then go into one
 * transaction together, with the same answers as one by one: each stored and published once, copies found, and each
 * dated by its arrival, not by when its transaction ran.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class ReportGroupingTest {

    @Inject
    MeterRegistry registry;

    @Test
    void reportsArrivingWhileTheGatewaysTransactionsRunAreIngestedTogetherWithTheirOwnAnswers() throws Exception {
        Fixtures.Gw gateway = Fixtures.gateway();
        String held = Fixtures.numberOf(gateway);
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            numbers.add(Fixtures.numberOf(gateway));
        }
        DistributionSummary groups = registry.get("fetchsms_ingest_group_reports").summary();
        ExecutorService clients = Executors.newFixedThreadPool(24);
        Instant released;
        List<Future<Response>> queued = new ArrayList<>();
        List<Future<Response>> first = new ArrayList<>();
        try (Connection blocker = ServiceTestResource.database().connect()) {
            // the ingestion lock of one number, held: the gateway's two transactions (the default most in flight)
            // for that number wait inside the database
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(hashtextextended('" + held + "', 7041))");
            }
            first.add(clients.submit(() -> gateway.send(sms(held, "Telegram", "Telegram code: 111111"))));
            first.add(clients.submit(() -> gateway.send(sms(held, "Telegram", "Telegram code: 222222"))));
            await().atMost(Duration.ofSeconds(20)).until(() -> count(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                            + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") == 2);
            long groupsBefore = groups.count();
            double reportsBefore = groups.totalAmount();

            // meanwhile 20 reports for other numbers, and two copies of one SMS (the same gateway message id)
            for (int i = 0; i < 20; i++) {
                Map<String, Object> message = sms(numbers.get(i % 10), "Telegram", "Telegram code: " + (300000 + i));
                message.put("gateway_message_id", "grouped-" + i);
                queued.add(clients.submit(() -> gateway.send(message)));
            }
            for (int i = 0; i < 2; i++) {
                Map<String, Object> copy = sms(numbers.get(0), "WhatsApp", "Your WhatsApp code: 654-321");
                copy.put("gateway_message_id", "copied");
                queued.add(clients.submit(() -> gateway.send(copy)));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> waiting() == 22);
            assertEquals(groupsBefore, groups.count(), "nothing else started while both transactions were busy");

            released = Instant.now();
            blocker.commit();

            for (Future<Response> answer : first) {
                assertEquals(202, answer.get().statusCode());
            }
            List<JsonPath> answers = new ArrayList<>();
            for (Future<Response> answer : queued) {
                Response response = answer.get();
                assertEquals(202, response.statusCode(), response.asString());
                answers.add(response.jsonPath());
            }
            assertEquals(groupsBefore + 1, groups.count(), "the 22 waiting reports went in one transaction");
            assertEquals(reportsBefore + 22, groups.totalAmount());

            Set<String> accepted = new HashSet<>();
            for (JsonPath answer : answers.subList(0, 20)) {
                assertEquals("accepted", answer.getString("outcome"));
                accepted.add(answer.getString("id"));
            }
            assertEquals(20, accepted.size());
            JsonPath copyA = answers.get(20);
            JsonPath copyB = answers.get(21);
            assertEquals(Set.of("accepted", "duplicate"),
                    Set.of(copyA.getString("outcome"), copyB.getString("outcome")),
                    "of two copies in one transaction, the second is a duplicate");
            assertEquals(copyA.getString("id"), copyB.getString("id"), "the duplicate names the message it repeats");
        } finally {
            clients.shutdownNow();
        }

        assertEquals(21, count("SELECT count(*) FROM inbound_message WHERE number = ANY(?)",
                (Object) numbers.toArray(String[]::new)));
        List<Map<String, Object>> dated = Fixtures.rows(
                "SELECT max(received_at) AS latest FROM inbound_message WHERE number = ANY(?)",
                (Object) numbers.toArray(String[]::new));
        Instant latest = ((Timestamp) dated.get(0).get("latest")).toInstant();
        assertFalse(latest.isAfter(released),
                "a report without received_at is dated by its arrival (before " + released + "), not " + latest);

        Set<String> numberSet = Set.copyOf(numbers);
        // published once the outbox holds none of their rows: counted without waiting for a quiet period
        Fixtures.await("outbox rows of the numbers published",
                () -> count("SELECT count(*) FROM outbox_event WHERE message_key = ANY(?) AND parked_at IS NULL",
                        (Object) numbers.toArray(String[]::new)) == 0);
        List<KafkaEvents.Received> events = KafkaEvents.upToNow(Topics.SMS_INBOUND, r -> numberSet.contains(r.key()));
        assertEquals(21, events.size(), "each accepted report published once");
        assertTrue(events.stream().allMatch(e -> e.data().get("code").isTextual()));
    }

    private double waiting() {
        return registry.get("fetchsms_ingest_group_waiting_reports").gauge().value();
    }
}
