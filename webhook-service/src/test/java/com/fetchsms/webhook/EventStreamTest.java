package com.fetchsms.webhook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.events.ApiKeyChanged;
import com.fetchsms.common.events.CancelReason;
import com.fetchsms.common.events.RentalCancelled;
import com.fetchsms.common.events.RentalExpired;
import com.fetchsms.common.events.RentalMessage;
import com.fetchsms.common.events.VerificationCancelled;
import com.fetchsms.common.events.VerificationExpired;
import com.fetchsms.common.events.VerificationReceived;
import com.fetchsms.common.events.WalletRefunded;
import com.fetchsms.common.security.ApiKeys;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.Metrics;
import com.fetchsms.testkit.RateLimitProbe;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import jakarta.inject.Inject;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code GET /v1/events} over real HTTP, PostgreSQL and Kafka: live events of the caller's account only, resuming with
 * {@code Last-Event-ID}, the per-replica listener, heartbeats, the cap, refusals, the rate limit and the retention.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class EventStreamTest {

    @Inject
    com.fetchsms.webhook.messaging.OwnedPartitions ownedPartitions;

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> TOPICS = List.of("verification.received", "rental.message", "rental.expired",
            "verification.cancelled", "verification.expired", "rental.cancelled");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theCallersEventsArriveLiveWithTheirIdTypeAndDataAndNeverAnotherAccounts() throws Exception {
        Fixtures customer = new Fixtures();
        Fixtures other = new Fixtures();
        try (SseClient stream = SseClient.open(customer.token)) {
            assertEquals(200, stream.status());
            assertTrue(stream.response.headers().firstValue("Content-Type").orElseThrow()
                    .startsWith("text/event-stream"));
            // the first bytes come at once: the reconnection delay and a comment
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.lines.contains("retry:3000"));
            assertEquals(": connected", stream.nextComment(Duration.ofSeconds(5)));

            // another account's event, logged before the caller's first one
            String othersEvent = KafkaEvents.send(received(other.account, UUID.randomUUID(), "111111"));
            await().atMost(WAIT).until(() -> logged(othersEvent) == 1);

            UUID verification = UUID.randomUUID();
            long sent = System.nanoTime();
            KafkaEvents.send(received(customer.account, verification, "482910"));
            SseClient.Message code = stream.next(WAIT);
            System.out.printf("Kafka event → SSE message: %d ms%n", (code.arrivedNanos() - sent) / 1_000_000);
            assertEquals("sms.received", code.event());
            JsonNode data = JSON.readTree(code.data());
            assertEquals(List.of("verification_id", "ref", "number", "sender", "code", "detected_service",
                    "received_at"),
                    sortedLike(data, "verification_id", "ref", "number", "sender", "code",
                            "detected_service", "received_at"));
            assertEquals(verification.toString(), data.get("verification_id").asText());
            assertEquals("v_8R3p2K", data.get("ref").asText());
            assertEquals("(332) 555-0184", data.get("number").asText());
            assertEquals("Telegram", data.get("sender").asText());
            assertEquals("482910", data.get("code").asText());
            assertEquals("Telegram", data.get("detected_service").asText());
            assertEquals("2026-06-17T22:15:30Z", data.get("received_at").asText());
            assertFalse(data.has("body"), "a verification's code, never the message");
            assertFalse(code.data().contains("\n"), "one line of JSON");
            assertTrue(stream.lines.stream().allMatch(l -> l.isEmpty() || l.startsWith(":")
                    || l.startsWith("retry:") || l.startsWith("id:") || l.startsWith("event:")
                    || l.startsWith("data:")), String.valueOf(stream.lines));

            UUID rental = UUID.randomUUID();
            KafkaEvents.send(new RentalMessage(rental, customer.account, "r_4Hk9Qa", "+13325550184",
                    UUID.randomUUID(), "22395", "Your WhatsApp code is 123-456", "123456", "whatsapp", "WhatsApp",
                    Instant.parse("2026-06-17T22:15:30Z")));
            SseClient.Message message = stream.next(WAIT);
            assertEquals("sms.received", message.event());
            JsonNode rentalData = JSON.readTree(message.data());
            assertEquals(rental.toString(), rentalData.get("rental_id").asText());
            assertEquals("Your WhatsApp code is 123-456", rentalData.get("body").asText());
            assertEquals("WhatsApp", rentalData.get("detected_service").asText());

            KafkaEvents.send(new VerificationCancelled(verification, customer.account, "v_8R3p2K", 4, "telegram",
                    "+13325550184", 70, Instant.parse("2026-06-17T22:20:00Z"), CancelReason.REPORTED));
            JsonNode cancelled = expect(stream, "verification.cancelled");
            assertEquals(verification.toString(), cancelled.get("verification_id").asText());
            assertEquals("reported", cancelled.get("reason").asText());
            assertEquals("telegram", cancelled.get("service").asText());
            assertEquals("(332) 555-0184", cancelled.get("number").asText());
            assertEquals("2026-06-17T22:20:00Z", cancelled.get("cancelled_at").asText());

            KafkaEvents.send(new VerificationExpired(verification, customer.account, "v_8R3p2K", 4, "telegram",
                    "+13325550184", 70, Instant.parse("2026-06-17T22:30:00Z")));
            JsonNode expired = expect(stream, "verification.expired");
            assertEquals("2026-06-17T22:30:00Z", expired.get("expired_at").asText());
            assertEquals("v_8R3p2K", expired.get("ref").asText());

            KafkaEvents.send(new RentalCancelled(rental, customer.account, "r_4Hk9Qa", "+13325550184", 300,
                    Instant.parse("2026-06-17T23:00:00Z")));
            JsonNode rentalCancelled = expect(stream, "rental.cancelled");
            assertEquals("customer", rentalCancelled.get("reason").asText());
            assertEquals(rental.toString(), rentalCancelled.get("rental_id").asText());

            KafkaEvents.send(new RentalExpired(rental, customer.account, "r_4Hk9Qa", "+13325550184", true,
                    List.of("whatsapp"), 300, Instant.parse("2026-07-17T23:00:00Z")));
            JsonNode rentalExpired = expect(stream, "rental.expired");
            assertEquals("r_4Hk9Qa", rentalExpired.get("ref").asText());
            assertEquals("(332) 555-0184", rentalExpired.get("number").asText());
            assertEquals("2026-07-17T23:00:00Z", rentalExpired.get("expired_at").asText());

            // the refund the wallet booked for the reported verification, with the balance after it
            KafkaEvents.send(new WalletRefunded(verification, customer.account, 70, 1_070, UUID.randomUUID(),
                    "verification_reported", Instant.parse("2026-06-17T22:20:01Z")));
            JsonNode refunded = expect(stream, "wallet.refunded");
            assertEquals(verification.toString(), refunded.get("verification_id").asText());
            assertEquals(70, refunded.get("amount_cents").asLong());
            assertEquals(1_070, refunded.get("balance_cents").asLong());
            assertEquals("reported", refunded.get("reason").asText());
            assertEquals("2026-06-17T22:20:01Z", refunded.get("refunded_at").asText());
            KafkaEvents.send(new WalletRefunded(rental, customer.account, 300, 1_370, UUID.randomUUID(),
                    "rental_expired_without_code", Instant.parse("2026-07-17T23:00:01Z")));
            JsonNode rentalRefunded = expect(stream, "wallet.refunded");
            assertEquals(rental.toString(), rentalRefunded.get("rental_id").asText());
            assertFalse(rentalRefunded.has("verification_id"), rentalRefunded.toString());
            assertEquals("expired_without_code", rentalRefunded.get("reason").asText());

            // ids of one account, increasing; the other account's event (logged first) never came
            List<String> received = new ArrayList<>(stream.lines.stream().filter(l -> l.startsWith("id:")).toList());
            assertEquals(8, received.size(), String.valueOf(stream.lines));
            for (int i = 1; i < received.size(); i++) {
                assertTrue(Long.parseLong(received.get(i).substring(3)) > Long.parseLong(
                        received.get(i - 1).substring(3)), String.valueOf(received));
            }
            assertFalse(stream.lines.stream().anyMatch(l -> l.contains("111111")), String.valueOf(stream.lines));
        }
    }

    @Test
    void aReconnectWithLastEventIdReplaysExactlyTheMissedEventsThenContinuesLive() {
        Fixtures customer = new Fixtures();
        String lastSeen;
        try (SseClient stream = SseClient.open(customer.token)) {
            KafkaEvents.send(received(customer.account, UUID.randomUUID(), "100001"));
            KafkaEvents.send(received(customer.account, UUID.randomUUID(), "100002"));
            assertTrue(stream.next(WAIT).data().contains("10000"));
            lastSeen = stream.next(WAIT).id();
        }
        // while disconnected: four events, more than one page of the replay (3 in tests)
        List<String> missed = new ArrayList<>();
        for (int i = 3; i <= 6; i++) {
            missed.add(KafkaEvents.send(received(customer.account, UUID.randomUUID(), "10000" + i)));
        }
        await().atMost(WAIT).until(() -> missed.stream().allMatch(id -> logged(id) == 1));
        try (SseClient resumed = SseClient.open(customer.token, lastSeen);
                SseClient live = SseClient.open(customer.token)) {
            List<String> codes = new ArrayList<>();
            long previous = Long.parseLong(lastSeen);
            for (int i = 0; i < 4; i++) {
                SseClient.Message replayed = resumed.next(WAIT);
                assertTrue(Long.parseLong(replayed.id()) > previous);
                previous = Long.parseLong(replayed.id());
                codes.add(code(replayed));
            }
            assertEquals(List.of("100003", "100004", "100005", "100006"), codes.stream().sorted().toList());
            KafkaEvents.send(received(customer.account, UUID.randomUUID(), "100007"));
            SseClient.Message next = resumed.next(WAIT);
            assertEquals("100007", code(next), "then live, nothing replayed twice");
            assertTrue(Long.parseLong(next.id()) > previous);
            // without Last-Event-ID: live only
            SseClient.Message first = live.next(WAIT);
            assertEquals("100007", code(first));
            assertEquals(next.id(), first.id(), "one id per event for every stream of the account");
        }
    }

    @Test
    void anEventOnAPartitionAnotherReplicaHoldsReachesTheStreamThroughThisReplicasListener() {
        Fixtures customer = new Fixtures();
        String eventId = UUID.randomUUID().toString();
        try (SseClient stream = SseClient.open(customer.token);
                OtherReplica other = OtherReplica.join("webhook-service", TOPICS)) {
            assertEquals(200, stream.status());
            // another replica's consumer of the group holds a partition of verification.received and never applies
            // what it reads: only this replica's own listener can bring an event of that partition to the stream
            int held = other.awaitPartition("verification.received", WAIT);
            await("this replica gave the partition up").atMost(WAIT)
                    .until(() -> !ownedPartitions.owns("verification.received", held));
            UUID verification = OtherReplica.keyOnPartition("verification.received", held);
            VerificationReceived event = received(customer.account, verification, "777777");
            KafkaEvents.send(event, eventId);
            SseClient.Message heard = stream.next(WAIT);
            assertEquals("777777", code(heard));
            assertEquals(1, logged(eventId));
            assertEquals(0, Fixtures.query(
                    "SELECT count(*) FROM processed_event WHERE consumer = 'webhook-service.events' AND event_id = ?",
                    eventId, Long.class), "this replica's consumer group did not hold the event's partition");
        }
        // the other replica left without committing: its partitions come back here and the group applies the event
        // (its webhooks); the log keeps one row and the stream does not send it again
        await().atMost(WAIT).until(() -> Fixtures.query(
                "SELECT count(*) FROM processed_event WHERE consumer = 'webhook-service.events' AND event_id = ?",
                eventId, Long.class) == 1);
        assertEquals(1, logged(eventId));
    }

    @Test
    void anEventOnAPartitionThisReplicaHoldsIsWrittenOnceByItsConsumerGroupAndStreamedOnce() {
        Fixtures customer = new Fixtures();
        try (SseClient stream = SseClient.open(customer.token)) {
            assertEquals(": connected", stream.nextComment(Duration.ofSeconds(5)));
            String first = KafkaEvents.send(received(customer.account, UUID.randomUUID(), "555001"));
            assertEquals("555001", code(stream.next(WAIT)));
            KafkaEvents.send(received(customer.account, UUID.randomUUID(), "555002"));
            SseClient.Message marker = stream.next(WAIT);
            assertEquals("555002", code(marker), "the first event was sent once");
            // the listener left it to the consumer group, whose append took the account's next id: no id was burnt
            assertEquals(1, logged(first));
            assertEquals(2L, Fixtures.query("SELECT seq FROM account_event_seq WHERE account_id = ?", customer.account,
                    Long.class));
        }
    }

    @Test
    void aBurstOfOneAccountsEventsOnEveryPartitionArrivesOnceEachInIdOrderAsAReplayGivesIt() {
        Fixtures customer = new Fixtures();
        int n = 60;
        List<KafkaEvents.Outgoing> burst = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String code = Integer.toString(300000 + i);
            expected.add(code);
            // keyed by verification: the burst spreads over every partition, so every consumer and the listener race
            burst.add(new KafkaEvents.Outgoing(received(customer.account, UUID.randomUUID(), code),
                    UUID.randomUUID().toString()));
        }
        List<SseClient.Message> live = new ArrayList<>();
        double pushed;
        try (SseClient stream = SseClient.open(customer.token)) {
            assertEquals(": connected", stream.nextComment(Duration.ofSeconds(5)));
            pushed = pushedOnStreams();
            KafkaEvents.sendAll(burst);
            for (int i = 0; i < n; i++) {
                live.add(stream.next(WAIT));
            }
        }
        for (int i = 1; i < n; i++) {
            assertTrue(Long.parseLong(live.get(i).id()) > Long.parseLong(live.get(i - 1).id()),
                    "ids increase: " + live.stream().map(SseClient.Message::id).toList());
        }
        assertEquals(expected, live.stream().map(EventStreamTest::code).sorted().toList(), "each event once");
        assertEquals(n, Fixtures.query("SELECT count(*) FROM account_event WHERE account_id = ?", customer.account,
                Long.class), "the log holds each event once");
        // each live line counted once in the push delay
        double afterLive = Metrics.await(PUSH_DELAY_COUNT, v -> v >= pushed + n, WAIT, "channel", "event_stream");
        assertEquals(pushed + n, afterLive);

        try (SseClient replay = SseClient.open(customer.token, "0")) {
            List<SseClient.Message> replayed = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                replayed.add(replay.next(WAIT));
            }
            assertEquals(live.stream().map(SseClient.Message::id).toList(),
                    replayed.stream().map(SseClient.Message::id).toList(), "the same ids, in the same order");
            assertEquals(live.stream().map(EventStreamTest::code).toList(),
                    replayed.stream().map(EventStreamTest::code).toList());
            KafkaEvents.send(received(customer.account, UUID.randomUUID(), "399999"));
            assertEquals("399999", code(replay.next(WAIT)), "then live");
        }
        // the replayed events were written before the stream opened: only the live one after them counts
        double afterReplay = Metrics.await(PUSH_DELAY_COUNT, v -> v >= afterLive + 1, WAIT, "channel",
                "event_stream");
        assertEquals(afterLive + 1, afterReplay);
    }

    private static final String PUSH_DELAY_COUNT = "fetchsms_push_delay_seconds_count";

    private static double pushedOnStreams() {
        return Metrics.value(PUSH_DELAY_COUNT, "channel", "event_stream");
    }

    @Test
    void heartbeatsArriveOnAnIdleStream() {
        Fixtures customer = new Fixtures();
        try (SseClient stream = SseClient.open(customer.token)) {
            assertEquals(": connected", stream.nextComment(Duration.ofSeconds(5)));
            assertEquals(": heartbeat", stream.nextComment(Duration.ofSeconds(5)));
            assertEquals(": heartbeat", stream.nextComment(Duration.ofSeconds(5)));
        }
    }

    @Test
    void theSixthStreamOfAnAccountIs429AndClosingOneFreesItsSlot() {
        Fixtures customer = new Fixtures();
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                open.add(SseClient.open(customer.token));
                assertEquals(200, open.get(i).status());
            }
            SseClient sixth = SseClient.open(customer.token);
            assertEquals(429, sixth.status());
            assertEquals("3", sixth.response.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(sixth.errorBody().contains("An account may have at most 5 open event streams"));
            try (SseClient otherAccount = SseClient.open(new Fixtures().token)) {
                assertEquals(200, otherAccount.status(), "the cap is per account");
            }

            open.remove(0).close();
            await("a closed stream's slot is free").atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                SseClient again = SseClient.open(customer.token);
                if (again.status() == 200) {
                    open.add(again);
                    return true;
                }
                again.errorBody();
                return false;
            });
        } finally {
            open.forEach(SseClient::close);
        }
    }

    @Test
    void aLastEventIdThatIsNotANonNegativeIntegerIs400() {
        Fixtures customer = new Fixtures();
        for (String bad : List.of("abc", "-1", "1.5", "99999999999999999999", "7x", "0x10")) {
            SseClient stream = SseClient.open(customer.token, bad);
            assertEquals(400, stream.status(), bad);
            assertTrue(stream.errorBody().contains("Last-Event-ID"), bad);
        }
    }

    @Test
    void withoutAValidCredentialTheStreamIs401() {
        SseClient anonymous = SseClient.open(null);
        assertEquals(401, anonymous.status());
        anonymous.errorBody();
        SseClient expired = SseClient.open(TestTokens.expired(UUID.randomUUID()));
        assertEquals(401, expired.status());
        expired.errorBody();
        SseClient unknownKey = SseClient.open(ApiKeys.generate());
        assertEquals(401, unknownKey.status());
        unknownKey.errorBody();
    }

    @Test
    void anApiKeyStreamsItsAccountAndAConnectionCountsOnceAgainstItsRateLimit() throws Exception {
        Fixtures customer = new Fixtures();
        String key = ApiKeys.generate();
        KafkaEvents.send(new ApiKeyChanged(ApiKeys.hash(key), UUID.randomUUID(), customer.account,
                ApiKeys.shownPrefix(key), ApiKeyChanged.ACTIVE, Instant.now()));
        await("the key is known").atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            SseClient probe = SseClient.open(key, "x");
            probe.errorBody();
            return probe.status() == 400;
        });
        try (SseClient stream = SseClient.open(key)) {
            assertEquals(200, stream.status());
            // new connections of the key beyond its budget are refused (each refusal here is a 400 that still counts)
            RateLimitProbe.burst(i -> HttpRequest.newBuilder(SseClient.uri()).header("Authorization", "Bearer " + key)
                    .header("Last-Event-ID", "not-a-number").build(), 400, 100);
            // the open stream is not charged again: it goes on carrying events while the key's budget is empty
            KafkaEvents.send(received(customer.account, UUID.randomUUID(), "424242"));
            assertEquals("424242", code(stream.next(WAIT)));
        }
    }

    @Test
    void eventsOlderThanTheRetentionArePrunedAndAReplayStartsAtWhatIsKept() {
        Fixtures customer = new Fixtures();
        Fixtures.sql("INSERT INTO account_event_seq (account_id, seq) VALUES (?, 2)", customer.account);
        Fixtures.sql("""
                INSERT INTO account_event (account_id, seq, type, payload, source_event_id, created_at)
                VALUES (?, 1, 'rental.expired', '{"ref":"r_old"}', ?, now() - interval '25 hours')""",
                customer.account, UUID.randomUUID().toString());
        Fixtures.sql("""
                INSERT INTO account_event (account_id, seq, type, payload, source_event_id, created_at)
                VALUES (?, 2, 'rental.expired', '{"ref":"r_new"}', ?, now() - interval '23 hours')""",
                customer.account, UUID.randomUUID().toString());
        await("the scheduled pruning").atMost(WAIT).until(() -> Fixtures.query(
                "SELECT count(*) FROM account_event WHERE account_id = ? AND seq = 1", customer.account,
                Long.class) == 0);
        assertEquals(1, Fixtures.query("SELECT count(*) FROM account_event WHERE account_id = ?", customer.account,
                Long.class), "the event within the retention stays");
        try (SseClient stream = SseClient.open(customer.token, "0")) {
            SseClient.Message kept = stream.next(WAIT);
            assertEquals("2", kept.id());
            assertEquals("rental.expired", kept.event());
            assertTrue(kept.data().contains("r_new"));
        }
    }

    @Test
    void theRouteIsDocumentedAsAnEventStreamWithItsRefusals() throws Exception {
        JsonNode document = JSON.readTree(io.restassured.RestAssured.given().get("/q/openapi?format=json").then()
                .statusCode(200).extract().asString());
        JsonNode operation = document.path("paths").path("/v1/events").path("get");
        assertTrue(operation.path("responses").path("200").path("content").has("text/event-stream"),
                operation.toString());
        assertTrue(operation.path("responses").has("429"), operation.toString());
        assertTrue(operation.toString().contains("Last-Event-ID"), operation.toString());
    }

    private static VerificationReceived received(UUID account, UUID verification, String code) {
        return new VerificationReceived(verification, account, "v_8R3p2K", 4, "telegram", "Telegram",
                "+13325550184", "Telegram", code, Instant.parse("2026-06-17T22:15:30Z"));
    }

    private static JsonNode expect(SseClient stream, String type) throws Exception {
        SseClient.Message message = stream.next(WAIT);
        assertEquals(type, message.event(), message.data());
        return JSON.readTree(message.data());
    }

    private static String code(SseClient.Message message) {
        try {
            return JSON.readTree(message.data()).get("code").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The field names of {@code node} that are among {@code order}, in that order (JSONB keeps its own order). */
    private static List<String> sortedLike(JsonNode node, String... order) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        assertEquals(order.length, names.size(), node.toString());
        return List.of(order).stream().filter(names::contains).toList();
    }

    private static long logged(String sourceEventId) {
        return Fixtures.query("SELECT count(*) FROM account_event WHERE source_event_id = ?", sourceEventId,
                Long.class);
    }
}
