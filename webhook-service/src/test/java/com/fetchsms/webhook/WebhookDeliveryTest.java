package com.fetchsms.webhook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.events.RentalExpired;
import com.fetchsms.common.events.RentalMessage;
import com.fetchsms.common.events.VerificationReceived;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.webhook.service.Dispatcher;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class WebhookDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Dispatcher dispatcher;

    @Test
    void aReceivedCodeIsDeliveredSignedWithTheDocumentedPayloadAndNeverTheBody() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Fixtures customer = new Fixtures();
            JsonPath endpoint = customer.endpoint(receiver.url());
            Instant receivedAt = Instant.parse("2026-06-17T22:15:30Z");
            UUID verification = UUID.randomUUID();
            KafkaEvents.send(new VerificationReceived(verification, customer.account, "v_8R3p2K", 4, "telegram",
                    "Telegram", "+13325550184", "Telegram", "482910", receivedAt));

            Receiver.Request request = receiver.await(1, WAIT).get(0);
            assertEquals("/hook", request.path());
            assertEquals("sms.received", request.header("X-FetchSMS-Event"));
            assertTrue(Fixtures.verify(request.rawBody(), request.header("X-FetchSMS-Signature"),
                    endpoint.getString("secret")), "the documented signature check accepts it");
            assertFalse(Fixtures.verify(request.rawBody(), request.header("X-FetchSMS-Signature"),
                    "whsec_another"), "another secret does not verify");
            assertTrue(request.header("X-FetchSMS-Signature").matches("[0-9a-f]{64}"));
            assertTrue(request.header("Content-Type").startsWith("application/json"));
            long timestamp = Long.parseLong(request.header("X-FetchSMS-Timestamp"));
            assertTrue(Math.abs(Instant.now().getEpochSecond() - timestamp) < 60);

            JsonNode body = JSON.readTree(request.rawBody());
            assertEquals(List.of("event", "data", "created_at"), fields(body));
            assertEquals("sms.received", body.get("event").asText());
            assertTrue(body.get("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
            JsonNode data = body.get("data");
            assertEquals(List.of("verification_id", "ref", "number", "sender", "code", "detected_service",
                    "received_at"), fields(data));
            assertEquals(verification.toString(), data.get("verification_id").asText());
            assertEquals("v_8R3p2K", data.get("ref").asText());
            assertEquals("(332) 555-0184", data.get("number").asText());
            assertEquals("Telegram", data.get("sender").asText());
            assertEquals("482910", data.get("code").asText());
            assertEquals("Telegram", data.get("detected_service").asText());
            assertEquals("2026-06-17T22:15:30Z", data.get("received_at").asText());

            String endpointId = endpoint.getString("id");
            List<Map<String, Object>> deliveries = customer.awaitDeliveries(endpointId,
                    d -> d.size() == 1 && "delivered".equals(d.get(0).get("status")), WAIT);
            Map<String, Object> delivery = deliveries.get(0);
            assertEquals(request.header("X-FetchSMS-Delivery"), delivery.get("id"));
            assertEquals(request.header("X-FetchSMS-Delivery"), request.header("webhook-id"));
            assertEquals("sms.received", delivery.get("event"));
            assertEquals(1, delivery.get("attempts"));
            assertEquals(200, delivery.get("last_status_code"));
            assertNull(delivery.get("next_attempt_at"));
            assertNotNull(delivery.get("created_at"));
        }
    }

    @Test
    void aRentalMessageCarriesTheRentalAndTheFullBody() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Fixtures customer = new Fixtures();
            String secret = customer.endpoint(receiver.url(), "sms.received").getString("secret");
            UUID rental = UUID.randomUUID();
            KafkaEvents.send(new RentalMessage(rental, customer.account, "r_4Hk9Qa", "+13325550184",
                    UUID.randomUUID(), "22395", "Your WhatsApp code is 123-456", "123456", "whatsapp", "WhatsApp",
                    Instant.parse("2026-06-17T22:15:30Z")));
            Receiver.Request request = receiver.await(1, WAIT).get(0);
            assertTrue(Fixtures.verify(request.rawBody(), request.header("X-FetchSMS-Signature"), secret));
            assertEquals("sms.received", request.header("X-FetchSMS-Event"));
            JsonNode data = JSON.readTree(request.rawBody()).get("data");
            assertEquals(List.of("rental_id", "ref", "number", "sender", "code", "body", "detected_service",
                    "received_at"), fields(data));
            assertEquals(rental.toString(), data.get("rental_id").asText());
            assertEquals("r_4Hk9Qa", data.get("ref").asText());
            assertEquals("(332) 555-0184", data.get("number").asText());
            assertEquals("22395", data.get("sender").asText());
            assertEquals("123456", data.get("code").asText());
            assertEquals("Your WhatsApp code is 123-456", data.get("body").asText());
            assertEquals("WhatsApp", data.get("detected_service").asText());
            assertEquals("2026-06-17T22:15:30Z", data.get("received_at").asText());
        }
    }

    @Test
    void anExpiredRentalIsDeliveredOnlyToEndpointsSubscribedToIt() throws Exception {
        try (Receiver expiries = new Receiver(); Receiver codes = new Receiver()) {
            Fixtures customer = new Fixtures();
            JsonPath expiriesEndpoint = customer.endpoint(expiries.url(), "rental.expired");
            String secret = expiriesEndpoint.getString("secret");
            String codesOnly = customer.endpoint(codes.url(), "sms.received").getString("id");
            UUID rental = UUID.randomUUID();
            KafkaEvents.send(new RentalExpired(rental, customer.account, "r_7Tq2Zc", "+13325550184", true,
                    List.of("telegram"), 1500, Instant.now()));
            Receiver.Request request = expiries.await(1, WAIT).get(0);
            assertEquals("rental.expired", request.header("X-FetchSMS-Event"));
            assertTrue(Fixtures.verify(request.rawBody(), request.header("X-FetchSMS-Signature"), secret));
            JsonNode body = JSON.readTree(request.rawBody());
            assertEquals(List.of("event", "data", "created_at"), fields(body));
            assertEquals("rental.expired", body.get("event").asText());
            assertEquals(List.of("rental_id", "ref", "number"), fields(body.get("data")));
            assertEquals(rental.toString(), body.get("data").get("rental_id").asText());
            assertEquals("r_7Tq2Zc", body.get("data").get("ref").asText());
            assertEquals("(332) 555-0184", body.get("data").get("number").asText());

            // another account's event reaches none of this customer's endpoints: once the consumer has applied it
            // (its processed_event row commits with the deliveries it would make), no delivery exists to be sent
            String other = KafkaEvents.send(new RentalExpired(UUID.randomUUID(), UUID.randomUUID(), "r_other1",
                    "+13325550185", false, List.of(), 1500, Instant.now()));
            awaitApplied(other);
            assertEquals(1, customer.deliveries(expiriesEndpoint.getString("id")).size());
            assertEquals(1, expiries.requests().size());
            assertEquals(0, codes.requests().size());
            assertTrue(customer.deliveries(codesOnly).isEmpty());
        }
    }

    @Test
    void theSandboxsEventsReachOnlyTheTestKeysEndpointsAndTheLiveAccountsOnlyItsOwn() throws Exception {
        try (Receiver liveHooks = new Receiver(); Receiver sandboxHooks = new Receiver()) {
            Fixtures live = new Fixtures();
            Fixtures sandbox = Fixtures.sandboxTwin();
            JsonPath liveEndpoint = live.endpoint(liveHooks.url());
            JsonPath sandboxEndpoint = sandbox.endpoint(sandboxHooks.url());

            // a sandbox verification's code: its event carries the twin's account, as every sandbox purchase's does
            UUID sandboxVerification = UUID.randomUUID();
            String sandboxEvent = KafkaEvents.send(new VerificationReceived(sandboxVerification, sandbox.account,
                    "v_Sbx1Aa", 4, "telegram", "Telegram", "+12015550123", "Telegram", "424242", Instant.now()));
            Receiver.Request request = sandboxHooks.await(1, WAIT).get(0);
            assertEquals("sms.received", request.header("X-FetchSMS-Event"));
            assertTrue(Fixtures.verify(request.rawBody(), request.header("X-FetchSMS-Signature"),
                    sandboxEndpoint.getString("secret")), "signed with the sandbox endpoint's secret");
            assertEquals(Fixtures.standardSignature(sandboxEndpoint.getString("secret"), request.header("webhook-id"),
                    request.header("webhook-timestamp"), request.rawBody()), request.header("webhook-signature"));
            JsonNode data = JSON.readTree(request.rawBody()).get("data");
            assertEquals(sandboxVerification.toString(), data.get("verification_id").asText());
            assertEquals("(201) 555-0123", data.get("number").asText());
            assertEquals("424242", data.get("code").asText());

            // a live code: to the live account's endpoint only
            UUID liveVerification = UUID.randomUUID();
            String liveEvent = KafkaEvents.send(new VerificationReceived(liveVerification, live.account, "v_Live1Aa",
                    4, "telegram", "Telegram", "+13325550184", "Telegram", "515151", Instant.now()));
            Receiver.Request liveRequest = liveHooks.await(1, WAIT).get(0);
            assertTrue(Fixtures.verify(liveRequest.rawBody(), liveRequest.header("X-FetchSMS-Signature"),
                    liveEndpoint.getString("secret")));
            assertEquals(liveVerification.toString(),
                    JSON.readTree(liveRequest.rawBody()).get("data").get("verification_id").asText());

            // both events applied (each one's processed_event row commits with the deliveries it makes): each world's
            // endpoint has exactly its own event queued and received, nothing of the other's
            awaitApplied(sandboxEvent);
            awaitApplied(liveEvent);
            List<Map<String, Object>> sandboxDeliveries = sandbox.awaitDeliveries(sandboxEndpoint.getString("id"),
                    d -> d.size() == 1 && "delivered".equals(d.get(0).get("status")), WAIT);
            assertEquals(request.header("X-FetchSMS-Delivery"), sandboxDeliveries.get(0).get("id"));
            List<Map<String, Object>> liveDeliveries = live.awaitDeliveries(liveEndpoint.getString("id"),
                    d -> d.size() == 1 && "delivered".equals(d.get(0).get("status")), WAIT);
            assertEquals(liveRequest.header("X-FetchSMS-Delivery"), liveDeliveries.get(0).get("id"));
            assertEquals(1, sandboxHooks.requests().size());
            assertEquals(1, liveHooks.requests().size());
            assertFalse(liveHooks.requests().get(0).body().contains("424242"));
            assertFalse(sandboxHooks.requests().get(0).body().contains("515151"));

            // the test key's ping is signed the same way, to its endpoint
            sandbox.as().post("/v1/webhooks/" + sandboxEndpoint.getString("id") + "/test").then().statusCode(202);
            Receiver.Request ping = sandboxHooks.await(2, WAIT).get(1);
            assertEquals("ping", ping.header("X-FetchSMS-Event"));
            assertTrue(Fixtures.verify(ping.rawBody(), ping.header("X-FetchSMS-Signature"),
                    sandboxEndpoint.getString("secret")));
            assertEquals(1, liveHooks.requests().size());
        }
    }

    @Test
    void aBurstOfTwoAccountsEventsQueuesOneDeliveryPerSubscribedEndpointAndEventAndEachIsReceivedOnce() {
        try (Receiver first = new Receiver();
                Receiver second = new Receiver();
                Receiver expiriesOnly = new Receiver()) {
            Fixtures a = new Fixtures();
            Fixtures b = new Fixtures();
            String aCodes = a.endpoint(first.url(), "sms.received").getString("id");
            String aEverything = a.endpoint(second.url(), "sms.received", "rental.expired").getString("id");
            String bExpiries = b.endpoint(expiriesOnly.url(), "rental.expired").getString("id");
            List<KafkaEvents.Outgoing> burst = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                burst.add(new KafkaEvents.Outgoing(new VerificationReceived(UUID.randomUUID(), a.account, "v_burst" + i,
                        4, "telegram", "Telegram", "+13325550184", "Telegram", "5000" + i, Instant.now()),
                        UUID.randomUUID().toString()));
                burst.add(new KafkaEvents.Outgoing(new VerificationReceived(UUID.randomUUID(), b.account, "v_other" + i,
                        4, "telegram", "Telegram", "+13325550185", "Telegram", "6000" + i, Instant.now()),
                        UUID.randomUUID().toString()));
            }
            String aExpiry = UUID.randomUUID().toString();
            String bExpiry = UUID.randomUUID().toString();
            burst.add(new KafkaEvents.Outgoing(new RentalExpired(UUID.randomUUID(), a.account, "r_burst1",
                    "+13325550184", false, List.of(), 1500, Instant.now()), aExpiry));
            burst.add(new KafkaEvents.Outgoing(new RentalExpired(UUID.randomUUID(), b.account, "r_burst2",
                    "+13325550185", false, List.of(), 1500, Instant.now()), bExpiry));
            KafkaEvents.sendAll(burst);
            burst.forEach(event -> awaitApplied(event.eventId()));

            assertEquals(10, a.deliveries(aCodes).size(), "the ten codes, not the expiry");
            assertEquals(11, a.deliveries(aEverything).size(), "the ten codes and the expiry");
            assertEquals(1, b.deliveries(bExpiries).size(), "the expiry only; b's codes have no endpoint");
            // each sent once: every delivery ends delivered, and each receiver got exactly its count
            a.awaitDeliveries(aEverything, all -> all.stream().allMatch(d -> "delivered".equals(d.get("status"))),
                    WAIT);
            a.awaitDeliveries(aCodes, all -> all.stream().allMatch(d -> "delivered".equals(d.get("status"))), WAIT);
            b.awaitDeliveries(bExpiries, all -> all.stream().allMatch(d -> "delivered".equals(d.get("status"))),
                    WAIT);
            assertEquals(10, first.requests().size());
            assertEquals(11, second.requests().size());
            assertEquals(1, expiriesOnly.requests().size());
        }
    }

    @Test
    void theTestRouteSendsASignedPing() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Fixtures customer = new Fixtures();
            JsonPath endpoint = customer.endpoint(receiver.url());
            customer.as().post("/v1/webhooks/" + endpoint.getString("id") + "/test").then().statusCode(202);
            Receiver.Request request = receiver.await(1, WAIT).get(0);
            assertEquals("ping", request.header("X-FetchSMS-Event"));
            assertTrue(Fixtures.verify(request.rawBody(), request.header("X-FetchSMS-Signature"),
                    endpoint.getString("secret")));
            JsonNode body = JSON.readTree(request.rawBody());
            assertEquals("ping", body.get("event").asText());
            assertEquals(endpoint.getString("id"), body.get("data").get("webhook_id").asText());
        }
    }

    @Test
    void aRotatedSecretSignsAtOnceAndThePreviousOneStillSignsDuringTheOverlap() {
        try (Receiver receiver = new Receiver()) {
            Fixtures customer = new Fixtures();
            JsonPath endpoint = customer.endpoint(receiver.url());
            String id = endpoint.getString("id");
            String before = endpoint.getString("secret");
            JsonPath rotated = customer.as().post("/v1/webhooks/" + id + "/rotate-secret").then().statusCode(200)
                    .extract().jsonPath();
            assertEquals(List.of("id", "secret", "previous_secret_expires_at"),
                    List.copyOf(rotated.getMap("$").keySet()));
            String after = rotated.getString("secret");
            assertFalse(after.equals(before));
            new Fixtures().as().post("/v1/webhooks/" + id + "/rotate-secret").then().statusCode(404);

            customer.as().post("/v1/webhooks/" + id + "/test").then().statusCode(202);
            Receiver.Request during = receiver.await(1, WAIT).get(0);
            assertTrue(Fixtures.verify(during.rawBody(), during.header("X-FetchSMS-Signature"), after));
            assertTrue(Fixtures.verify(during.rawBody(), during.header("X-FetchSMS-Signature-Previous"), before));
            assertEquals(List.of(
                    Fixtures.standardSignature(after, during.header("webhook-id"),
                            during.header("webhook-timestamp"), during.rawBody()),
                    Fixtures.standardSignature(before, during.header("webhook-id"),
                            during.header("webhook-timestamp"), during.rawBody())),
                    List.of(during.header("webhook-signature").split(" ")));

            Receiver.sleep(Duration.between(Instant.now(),
                    Instant.parse(rotated.getString("previous_secret_expires_at"))).toMillis() + 1000);
            customer.as().post("/v1/webhooks/" + id + "/test").then().statusCode(202);
            Receiver.Request later = receiver.await(2, WAIT).get(1);
            assertTrue(Fixtures.verify(later.rawBody(), later.header("X-FetchSMS-Signature"), after));
            assertNull(later.header("X-FetchSMS-Signature-Previous"));
            assertEquals(Fixtures.standardSignature(after, later.header("webhook-id"),
                    later.header("webhook-timestamp"), later.rawBody()), later.header("webhook-signature"));
        }
    }

    @Test
    void aReceiverThatFailsThreeTimesGetsTheDeliveryOnTheFourthAttempt() {
        try (Receiver receiver = new Receiver().thenAnswer(500, 502, 404).always(200)) {
            Fixtures customer = new Fixtures();
            JsonPath endpoint = customer.endpoint(receiver.url());
            customer.as().post("/v1/webhooks/" + endpoint.getString("id") + "/test").then().statusCode(202);
            List<Receiver.Request> requests = receiver.await(4, WAIT);
            Map<String, Object> delivery = customer.awaitDeliveries(endpoint.getString("id"),
                    d -> "delivered".equals(d.get(0).get("status")), WAIT).get(0);
            assertEquals(4, delivery.get("attempts"));
            assertEquals(200, delivery.get("last_status_code"));
            Set<String> ids = new HashSet<>();
            requests.forEach(r -> ids.add(r.header("X-FetchSMS-Delivery")));
            assertEquals(Set.of(delivery.get("id")), ids, "one delivery, four attempts");
            requests.forEach(r -> assertEquals(requests.get(0).body(), r.body(), "the same bytes every time"));
            // nothing after the success: a later delivery to the same endpoint is the next request it gets
            customer.as().post("/v1/webhooks/" + endpoint.getString("id") + "/test").then().statusCode(202);
            List<Receiver.Request> after = receiver.await(5, WAIT);
            assertEquals(5, after.size(), "nothing after the success");
            assertFalse(delivery.get("id").equals(after.get(4).header("X-FetchSMS-Delivery")),
                    "the fifth request is the later delivery, not the delivered one again");
        }
    }

    @Test
    void aReceiverThatStaysDownEndsFailedAfterTheScheduleAndItsEndpointIsDisabled() {
        try (Receiver receiver = new Receiver().always(500)) {
            Fixtures customer = new Fixtures();
            String id = customer.endpoint(receiver.url()).getString("id");
            customer.as().post("/v1/webhooks/" + id + "/test").then().statusCode(202);
            Map<String, Object> delivery = customer.awaitDeliveries(id,
                    d -> "failed".equals(d.get(0).get("status")), WAIT).get(0);
            assertEquals(5, delivery.get("attempts"), "the first attempt and the 4 retries of the test schedule");
            assertEquals(500, delivery.get("last_status_code"));
            assertEquals("HTTP 500", delivery.get("last_error"));
            assertNull(delivery.get("next_attempt_at"));
            assertEquals(5, receiver.requests().size());
            Map<String, Object> view = customer.endpointView(id);
            assertEquals("disabled", view.get("status"));
            assertEquals("failing", view.get("disabled_reason"));

            // a manual retry re-enables the endpoint and makes one more attempt
            receiver.always(200);
            customer.as().post("/v1/webhooks/deliveries/" + delivery.get("id") + "/retry").then().statusCode(202);
            customer.awaitDeliveries(id, d -> "delivered".equals(d.get(0).get("status")), WAIT);
            assertEquals(6, receiver.requests().size());
            assertEquals("active", customer.endpointView(id).get("status"));
        }
    }

    @Test
    void gone410DisablesTheEndpoint() {
        try (Receiver receiver = new Receiver().always(410)) {
            Fixtures customer = new Fixtures();
            String id = customer.endpoint(receiver.url()).getString("id");
            customer.as().post("/v1/webhooks/" + id + "/test").then().statusCode(202);
            Map<String, Object> delivery = customer.awaitDeliveries(id,
                    d -> "failed".equals(d.get(0).get("status")), WAIT).get(0);
            assertEquals(1, delivery.get("attempts"));
            assertEquals(410, delivery.get("last_status_code"));
            assertEquals("disabled", customer.endpointView(id).get("status"));
            assertEquals("gone", customer.endpointView(id).get("disabled_reason"));

            // a disabled endpoint gets no new deliveries: once the consumer has applied the event (its deliveries
            // commit with its processed_event row), there is none for this endpoint to send
            String event = KafkaEvents.send(new RentalExpired(UUID.randomUUID(), customer.account, "r_gone001",
                    "+13325550184", true, List.of(), 1500, Instant.now()));
            awaitApplied(event);
            assertEquals(1, customer.deliveries(id).size());
            assertEquals(1, receiver.requests().size());
        }
    }

    @Test
    void retryAfterOn429And503IsHonoured() {
        try (Receiver receiver = new Receiver()
                .thenAnswer(new Receiver.Answer(503, Map.of("Retry-After", "2"), Duration.ZERO)).always(200)) {
            Fixtures customer = new Fixtures();
            String id = customer.endpoint(receiver.url()).getString("id");
            customer.as().post("/v1/webhooks/" + id + "/test").then().statusCode(202);
            List<Receiver.Request> requests = receiver.await(2, WAIT);
            Duration gap = Duration.between(requests.get(0).at(), requests.get(1).at());
            assertTrue(gap.compareTo(Duration.ofMillis(1900)) >= 0, "waited " + gap + ", the schedule says 300ms");
            customer.awaitDeliveries(id, d -> "delivered".equals(d.get(0).get("status")), WAIT);
        }
    }

    @Test
    void aTimeoutIsAFailedAttemptThatIsRetried() {
        try (Receiver receiver = new Receiver()
                .thenAnswer(new Receiver.Answer(200, Map.of(), Duration.ofMillis(3500))).always(200)) {
            Fixtures customer = new Fixtures();
            String id = customer.endpoint(receiver.url()).getString("id");
            customer.as().post("/v1/webhooks/" + id + "/test").then().statusCode(202);
            Map<String, Object> delivery = customer.awaitDeliveries(id,
                    d -> "delivered".equals(d.get(0).get("status")), WAIT).get(0);
            assertEquals(2, delivery.get("attempts"));
            assertEquals(2, receiver.requests().size());
        }
    }

    @Test
    void aDeliveryLeftBehindByAStoppedServiceIsSentAfterItsLease() {
        try (Receiver receiver = new Receiver()) {
            Fixtures customer = new Fixtures();
            JsonPath endpoint = customer.endpoint(receiver.url());
            UUID endpointId = UUID.fromString(endpoint.getString("id"));
            String payload = "{\"event\":\"rental.expired\",\"data\":{\"rental_id\":\"r\",\"ref\":\"r_left001\","
                    + "\"number\":\"(332) 555-0184\"},\"created_at\":\"2026-06-17T22:15:30Z\"}";
            UUID abandoned = UUID.randomUUID();
            UUID leased = UUID.randomUUID();
            // one row whose replica died mid-attempt (lease expired), one still leased by a live replica for 3 s
            Instant leasedFrom = Instant.now();
            Fixtures.sql("""
                    INSERT INTO delivery (id, endpoint_id, event, payload, status, attempts, next_attempt_at,
                                          lease_until, lease_token, created_at)
                    VALUES (?, ?, 'rental.expired', ?, 'pending', 1, now() - interval '1 minute',
                            now() - interval '1 second', gen_random_uuid(), now() - interval '2 minutes'),
                           (?, ?, 'rental.expired', ?, 'pending', 0, now() - interval '1 minute',
                            now() + interval '3 seconds', gen_random_uuid(), now() - interval '2 minutes')""",
                    abandoned, endpointId, payload, leased, endpointId, payload);

            Receiver.Request first = receiver.await(1, WAIT).get(0);
            assertEquals(abandoned.toString(), first.header("X-FetchSMS-Delivery"));
            assertEquals(payload, first.body());
            assertTrue(Fixtures.verify(first.rawBody(), first.header("X-FetchSMS-Signature"),
                    endpoint.getString("secret")));
            Receiver.Request second = receiver.await(2, WAIT).get(1);
            assertEquals(leased.toString(), second.header("X-FetchSMS-Delivery"));
            // a delivery leased by another replica is not sent before its lease ends (3 s after the insert began)
            assertFalse(second.at().isBefore(leasedFrom.plusSeconds(3)),
                    "sent at " + second.at() + ", leased until at least " + leasedFrom.plusSeconds(3));
            List<Map<String, Object>> deliveries = customer.awaitDeliveries(endpointId.toString(),
                    d -> d.stream().allMatch(x -> "delivered".equals(x.get("status"))), WAIT);
            assertEquals(2, deliveries.size());
        }
    }

    @Test
    void concurrentDispatchersNeverSendOneDeliveryTwiceAndASlowEndpointDoesNotHoldBackOthers() {
        try (Receiver slow = new Receiver().alwaysSlow(Duration.ofMillis(1500)); Receiver fast = new Receiver()) {
            Fixtures customer = new Fixtures();
            UUID slowId = UUID.fromString(customer.endpoint(slow.url()).getString("id"));
            UUID fastId = UUID.fromString(customer.endpoint(fast.url()).getString("id"));
            for (int i = 0; i < 16; i++) {
                insertDue(slowId, "{\"n\":" + i + "}");
            }
            // four more "replicas" claiming at the same time as the scheduled dispatcher
            List<Thread> replicas = new java.util.ArrayList<>();
            for (int r = 0; r < 4; r++) {
                Thread replica = new Thread(() -> {
                    for (int pass = 0; pass < 20; pass++) {
                        dispatcher.dispatch().await().atMost(Duration.ofSeconds(20));
                        Receiver.sleep(50);
                    }
                });
                replica.start();
                replicas.add(replica);
            }
            // the slow endpoint is busy (its first delivery is being answered) before the fast one gets work
            slow.await(1, WAIT);
            insertDue(fastId, "{\"fast\":true}");
            Instant queued = Instant.now();
            Receiver.Request quick = fast.await(1, WAIT).get(0);
            assertTrue(Duration.between(queued, quick.at()).compareTo(Duration.ofMillis(3000)) < 0,
                    "the fast endpoint is served while the slow one is busy (its 16 take at least 6 s)");
            assertTrue(slow.requests().size() < 16, "the slow endpoint was still busy");

            List<Receiver.Request> all = slow.await(16, Duration.ofSeconds(60));
            for (Thread replica : replicas) {
                try {
                    replica.join(30_000);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            // every one delivered; then one more delivery to the slow endpoint is the next request it gets
            customer.awaitDeliveries(slowId.toString(), d -> d.size() == 16
                    && d.stream().allMatch(x -> "delivered".equals(x.get("status"))), Duration.ofSeconds(60));
            UUID marker = insertDue(slowId, "{\"marker\":true}");
            List<Receiver.Request> withMarker = slow.await(17, Duration.ofSeconds(60));
            assertEquals(17, withMarker.size(), "each delivery sent once: " + withMarker.size());
            assertEquals(marker.toString(), withMarker.get(16).header("X-FetchSMS-Delivery"));
            Set<String> ids = new HashSet<>();
            withMarker.forEach(r -> ids.add(r.header("X-FetchSMS-Delivery")));
            assertEquals(17, ids.size());
            assertTrue(slow.maxConcurrent() <= 4, "at most 4 in flight per endpoint, saw " + slow.maxConcurrent());
        }
    }

    @Test
    void anEndpointWhoseAddressBecamePrivateIsRefusedAtDeliveryTime() {
        try (Receiver receiver = new Receiver()) {
            Fixtures customer = new Fixtures();
            String loopbackByName = customer.endpoint(receiver.url()).getString("id");
            String privateAddress = customer.endpoint(receiver.url()).getString("id");
            String metadata = customer.endpoint(receiver.url()).getString("id");
            // as if the URL had passed the guard once and its name now resolves elsewhere (DNS rebinding)
            Fixtures.sql("UPDATE endpoint SET url = ? WHERE id = ?",
                    "http://localhost:" + receiver.port() + "/hook", UUID.fromString(loopbackByName));
            Fixtures.sql("UPDATE endpoint SET url = 'http://10.0.0.1/hook' WHERE id = ?",
                    UUID.fromString(privateAddress));
            Fixtures.sql("UPDATE endpoint SET url = 'http://169.254.169.254/latest/meta-data/' WHERE id = ?",
                    UUID.fromString(metadata));
            for (String id : List.of(loopbackByName, privateAddress, metadata)) {
                customer.as().post("/v1/webhooks/" + id + "/test").then().statusCode(202);
            }
            for (String id : List.of(loopbackByName, privateAddress, metadata)) {
                Map<String, Object> delivery = customer.awaitDeliveries(id,
                        d -> ((Integer) d.get(0).get("attempts")) >= 1, WAIT).get(0);
                assertTrue(String.valueOf(delivery.get("last_error")).startsWith("refused: the host "),
                        String.valueOf(delivery.get("last_error")));
                assertNull(delivery.get("last_status_code"));
            }
            // each attempt is recorded after its outcome: a request it had made would already have arrived
            assertEquals(0, receiver.requests().size(), "nothing reached the loopback receiver");
        }
    }

    @Test
    void aStoredUrlOnThePlatformsPortsOrInternalRoutesOrInAnotherSpellingIsRefusedAtDeliveryTime() {
        try (Receiver receiver = new Receiver()) {
            Fixtures customer = new Fixtures();
            List<String> urls = List.of("http://127.0.0.1:8082/hook",
                    "http://127.0.0.1:" + receiver.port() + "/internal/reservations/1/release",
                    "http://127.0.0.1:" + receiver.port() + "/hook/../q/health",
                    "http://0177.0.0.1:" + receiver.port() + "/hook",
                    "http://[::ffff:127.0.0.1]:" + receiver.port() + "/hook",
                    "http://127.1:" + receiver.port() + "/hook");
            List<String> ids = new java.util.ArrayList<>();
            for (String url : urls) {
                String id = customer.endpoint(receiver.url()).getString("id");
                // as if the URL had been stored before the guard knew better
                Fixtures.sql("UPDATE endpoint SET url = ? WHERE id = ?", url, UUID.fromString(id));
                ids.add(id);
            }
            for (String id : ids) {
                customer.as().post("/v1/webhooks/" + id + "/test").then().statusCode(202);
            }
            for (String id : ids) {
                Map<String, Object> delivery = customer.awaitDeliveries(id,
                        d -> ((Integer) d.get(0).get("attempts")) >= 1, WAIT).get(0);
                assertTrue(String.valueOf(delivery.get("last_error")).startsWith("refused: "),
                        String.valueOf(delivery.get("last_error")));
                assertNull(delivery.get("last_status_code"));
            }
            // each attempt is recorded after its outcome: a request it had made would already have arrived
            assertEquals(0, receiver.requests().size(), "nothing reached the loopback receiver");
        }
    }

    private static UUID insertDue(UUID endpointId, String payload) {
        UUID id = UUID.randomUUID();
        Fixtures.sql("""
                INSERT INTO delivery (id, endpoint_id, event, payload, status, next_attempt_at, created_at)
                VALUES (?, ?, 'ping', ?, 'pending', now(), now())""", id, endpointId, payload);
        return id;
    }

    /** Waits until the consumer has applied the event: its processed_event row commits with everything it did. */
    private static void awaitApplied(String eventId) {
        await().atMost(WAIT).until(() -> Fixtures.query("SELECT count(*) FROM processed_event WHERE event_id = ?",
                eventId, Long.class) > 0);
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
