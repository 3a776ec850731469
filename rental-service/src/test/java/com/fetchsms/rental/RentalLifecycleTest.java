package com.fetchsms.rental;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fetchsms.common.events.SmsInbound;
import com.fetchsms.common.events.Topics;
import com.fetchsms.common.json.JsonConventions;
import com.fetchsms.common.phone.PhoneNumbers;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.SmsWatermarks;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class RentalLifecycleTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @ConfigProperty(name = "fetchsms.rental.day-length")
    Duration dayLength;

    @Test
    void everySmsIsStoredNewestFirstAndAFirstCodeEndsTheRightToCancel() {
        Fixtures customer = new Fixtures().withBalance(5000);
        JsonPath created = customer.rent(1, 90, "415", null).then().statusCode(201)
                .body("id", matchesPattern("[0-9a-f-]{36}"))
                .body("ref", matchesPattern("r_[0-9A-Za-z]{6}"))
                .body("service", equalTo("unlimited-services"))
                .body("service_name", equalTo("Unlimited Services"))
                .body("number", matchesPattern("\\(415\\) 555-\\d{4}"))
                .body("duration_days", equalTo(90))
                .body("last_code", nullValue())
                .body("status", equalTo("waiting"))
                .body("cost_cents", equalTo(2510))
                .extract().jsonPath();
        assertEquals(
                List.of("id", "ref", "service", "service_name", "number", "sandbox", "duration_days", "last_code",
                        "status",
                        "cancel_reason", "cost_cents", "created_at", "expires_at"),
                List.copyOf(created.getMap("$").keySet()));
        Instant createdAt = Instant.parse(created.getString("created_at"));
        assertEquals(createdAt.plus(dayLength.multipliedBy(90)), Instant.parse(created.getString("expires_at")));
        assertEquals(5000 - 2510, customer.balance());
        String id = created.getString("id");
        assertEquals(List.copyOf(created.getMap("$").entrySet()),
                List.copyOf(customer.rental(id).getMap("$").entrySet()),
                "GET answers the same fields in the same order");
        String number = created.getString("number");

        Instant first = Instant.now();
        UUID whatsapp = Fixtures.sms(number, "WhatsApp", "Your WhatsApp code: 821-193", "whatsapp", "821-193",
                first);
        Fixtures.sms(number, "Telegram", "Telegram code 482910. Do not give this code to anyone", "telegram",
                "482910", first.plusMillis(200));
        Fixtures.sms(number, "Google", "G-551234 is your Google verification code.", "google", "G-551234",
                first.plusMillis(400));
        // sms-ingest publishing the first message again (another event id, same message): stored once
        KafkaEvents.send(new SmsInbound(whatsapp,
                PhoneNumbers.toE164(number).orElseThrow(), "WhatsApp", "Your WhatsApp code: 821-193", "whatsapp",
                "WhatsApp", "821-193", UUID.randomUUID(), first));

        List<Map<String, Object>> messages = customer.awaitMessages(id, m -> m.size() >= 3, PATIENCE);
        assertEquals(List.of("G-551234", "482910", "821-193"), messages.stream().map(m -> m.get("code")).toList(),
                "newest first");
        assertEquals(List.of("id", "sender", "body", "code", "received_at"), List.copyOf(messages.get(0).keySet()));
        assertEquals("Your WhatsApp code: 821-193", messages.get(2).get("body"));
        assertEquals("WhatsApp", messages.get(2).get("sender"));
        assertEquals(whatsapp.toString(), messages.get(2).get("id"));
        assertEquals(JsonConventions.format(first), messages.get(2).get("received_at"));

        customer.as().get("/v1/rentals/" + id).then().statusCode(200)
                .body("last_code", equalTo("G-551234")).body("status", equalTo("active"));

        List<KafkaEvents.Received> events = Fixtures.publishedOfKey(Topics.RENTAL_MESSAGE, id, PATIENCE);
        assertEquals(3, events.size(), "one rental.message per SMS");
        KafkaEvents.Received event = events.stream()
                .filter(e -> "whatsapp".equals(e.data().get("detected_service").asText())).findFirst()
                .orElseThrow();
        assertEquals("fetchsms.rental.message.v1", event.type());
        assertEquals("Your WhatsApp code: 821-193", event.data().get("body").asText(), "the full body");
        assertEquals("821-193", event.data().get("code").asText());
        assertEquals(customer.account.toString(), event.data().get("account_id").asText());
        assertEquals(PhoneNumbers.toE164(number).orElseThrow(), event.data().get("number").asText());

        customer.as().post("/v1/rentals/" + id + "/cancel").then().statusCode(409).body("detail",
                equalTo("This rental has already received an SMS; it cannot be cancelled"));
        customer.as().get("/v1/rentals?tab=active").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.status", equalTo("active"));
        assertEquals(5000 - 2510, customer.balance());
    }

    @Test
    void anSmsWithoutACodeIsDeliveredToTheBuyerSoTheRentalCanNoLongerBeCancelledForARefund() {
        Fixtures customer = new Fixtures().withBalance(1200);
        String id = customer.rent(1, 30).then().statusCode(201).extract().path("id");
        String number = customer.as().get("/v1/rentals/" + id).then().extract().path("number");

        // no code was found in it, but its body is readable in the message list: the buyer has used the number
        Fixtures.sms(number, "ACME", "Sign in: https://acme.example/l/7Hq2 (expires in 10 min)", null, null,
                Instant.now());
        assertEquals(1, customer.awaitMessages(id, m -> m.size() == 1, PATIENCE).size());
        customer.as().get("/v1/rentals/" + id).then().body("status", equalTo("active"))
                .body("last_code", nullValue());

        customer.as().post("/v1/rentals/" + id + "/cancel").then().statusCode(409).body("detail",
                equalTo("This rental has already received an SMS; it cannot be cancelled"));
        customer.as().get("/v1/rentals/" + id).then().body("status", equalTo("active"));
        assertEquals(0, customer.balance(), "nothing refunded");
    }

    @Test
    void cancellingBeforeAnySmsPublishesTheRefundEventAndLaterSmsAreIgnored() {
        Fixtures customer = new Fixtures().withBalance(1200);
        JsonPath created = customer.rent(1, 30).then().statusCode(201).body("cost_cents", equalTo(1200))
                .extract().jsonPath();
        String id = created.getString("id");
        String number = created.getString("number");
        assertEquals(0, customer.balance());

        customer.as().post("/v1/rentals/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled")).body("id", equalTo(id))
                .body("cancel_reason", equalTo("customer"));
        customer.as().post("/v1/rentals/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"));

        KafkaEvents.Received event = KafkaEvents.await(Topics.RENTAL_CANCELLED, r -> id.equals(r.key()), PATIENCE);
        assertEquals("fetchsms.rental.cancelled.v1", event.type());
        assertEquals(1200, event.data().get("cost_cents").asInt());
        assertEquals(customer.account.toString(), event.data().get("account_id").asText());
        assertEquals(created.getString("ref"), event.data().get("ref").asText());
        assertEquals(PhoneNumbers.toE164(number).orElseThrow(), event.data().get("number").asText());
        assertEquals(1, Fixtures.publishedOfKey(Topics.RENTAL_CANCELLED, id, PATIENCE).size(), "cancelled once");

        // the number is no longer this rental's: later messages are not stored, the cancelled rental stays as it is
        Fixtures.smsEvent(number, "WhatsApp", "Your WhatsApp code: 111-222", "whatsapp", "111-222", Instant.now());
        Fixtures.awaitSmsHandled(PATIENCE);
        assertEquals(0, customer.messages(id).size());
        customer.as().get("/v1/rentals/" + id).then().body("status", equalTo("cancelled"))
                .body("last_code", nullValue());
        assertTrue(Fixtures.publishedOfKey(Topics.RENTAL_MESSAGE, id, PATIENCE).stream()
                .noneMatch(r -> "111-222".equals(r.data().path("code").asText())));
        customer.as().get("/v1/rentals").then().statusCode(200).body("size()", equalTo(0));
        customer.as().get("/v1/rentals?tab=history").then().statusCode(200).body("id", equalTo(List.of(id)));
    }

    @Test
    void aTermEndsWithItsEventRefundableOnlyWhenNoCodeArrived() {
        Fixtures customer = new Fixtures().withBalance(900);
        JsonPath quiet = customer.rent(1, 1).then().statusCode(201).extract().jsonPath();
        JsonPath used = customer.rent("unlimited-services", 7).then().statusCode(201).extract().jsonPath();
        String quietId = quiet.getString("id");
        String usedId = used.getString("id");
        String number = used.getString("number");
        assertEquals(Instant.parse(quiet.getString("created_at")).plus(dayLength),
                Instant.parse(quiet.getString("expires_at")));

        Instant now = Instant.now();
        Fixtures.sms(number, "WhatsApp", "Your WhatsApp code: 111-111", "whatsapp", "111-111", now);
        Fixtures.sms(number, "Telegram", "Telegram code 222222", "telegram", "222222", now.plusMillis(10));
        Fixtures.sms(number, "WhatsApp", "Your WhatsApp code: 333-333", "whatsapp", "333-333", now.plusMillis(20));
        Fixtures.sms(number, "12345", "Your parcel is on its way", null, null, now.plusMillis(30));
        assertEquals(4, customer.awaitMessages(usedId, m -> m.size() == 4, PATIENCE).size());

        customer.awaitStatus(quietId, "expired", PATIENCE);
        KafkaEvents.Received refund = KafkaEvents.await(Topics.RENTAL_EXPIRED, r -> quietId.equals(r.key()),
                PATIENCE);
        assertEquals("fetchsms.rental.expired.v1", refund.type());
        assertFalse(refund.data().get("code_received").asBoolean(), "no code: the wallet refunds");
        assertEquals(0, refund.data().get("services_used").size());
        assertEquals(300, refund.data().get("cost_cents").asInt());
        assertEquals(quiet.getString("ref"), refund.data().get("ref").asText());

        customer.awaitStatus(usedId, "expired", PATIENCE);
        JsonNode kept = KafkaEvents.await(Topics.RENTAL_EXPIRED, r -> usedId.equals(r.key()), PATIENCE).data();
        assertTrue(kept.get("code_received").asBoolean(), "a code arrived: no refund");
        assertEquals(List.of("whatsapp", "telegram"),
                List.of(kept.get("services_used").get(0).asText(), kept.get("services_used").get(1).asText()));
        assertEquals(2, kept.get("services_used").size());
        assertEquals(600, kept.get("cost_cents").asInt());
        assertEquals(PhoneNumbers.toE164(number).orElseThrow(), kept.get("number").asText());

        customer.as().get("/v1/rentals/" + usedId).then().body("last_code", equalTo("333-333"));
        customer.as().post("/v1/rentals/" + quietId + "/cancel").then().statusCode(409);
        customer.as().post("/v1/rentals/" + usedId + "/cancel").then().statusCode(409);
        customer.as().get("/v1/rentals?tab=history").then().statusCode(200).body("size()", equalTo(2));

        // after the term, the number is no longer this rental's
        Fixtures.smsEvent(number, "Telegram", "Telegram code 999999", "telegram", "999999", Instant.now());
        Fixtures.awaitSmsHandled(PATIENCE);
        assertEquals(4, customer.messages(usedId).size());
        assertEquals(1, Fixtures.publishedOfKey(Topics.RENTAL_EXPIRED, usedId, PATIENCE).size(), "expired once");
    }

    @Test
    void anSmsAcceptedBeforeTheTermEndedCountsHoweverLateThePipelineDeliversIt() throws Exception {
        Fixtures customer = new Fixtures().withBalance(900);
        String id;
        try (AutoCloseable pipelineAway = SmsWatermarks.hold()) {
            JsonPath created = customer.rent(1, 1).then().statusCode(201).extract().jsonPath();
            id = created.getString("id");
            Instant expiresAt = Instant.parse(created.getString("expires_at"));
            // sms-ingest, Kafka or this consumer is away well past the term and its grace (2 s in tests): the arrival
            // watermark stands still, so the term is not made final
            Fixtures.sleep(Math.max(0, Duration.between(Instant.now(), expiresAt.plusSeconds(4)).toMillis()));
            customer.as().get("/v1/rentals/" + id).then().statusCode(200).body("status", equalTo("waiting"));
            // then the SMS the platform accepted a second before the term ended comes through
            Fixtures.sms(created.getString("number"), "Bank", "Your code is 424242", "bank", "424242",
                    expiresAt.minusSeconds(1));
            assertEquals(1, customer.awaitMessages(id, m -> !m.isEmpty(), PATIENCE).size());
            customer.as().get("/v1/rentals/" + id).then().body("last_code", equalTo("424242"));
        }
        // the pipeline is back: the term ends, with the code it received (no refund)
        customer.awaitStatus(id, "expired", PATIENCE);
        String rentalId = id;
        JsonNode ended = KafkaEvents.await(Topics.RENTAL_EXPIRED, r -> rentalId.equals(r.key()), PATIENCE).data();
        assertTrue(ended.get("code_received").asBoolean(), "a code arrived in time: no refund");
    }

    @Test
    void anSmsCountsByWhenTheCarrierReceivedIt() {
        Fixtures customer = new Fixtures().withBalance(2500);
        JsonPath created = customer.rent(1, 90).then().statusCode(201).extract().jsonPath();
        String id = created.getString("id");
        String number = created.getString("number");
        Instant createdAt = Instant.parse(created.getString("created_at"));

        // long before the purchase: not this rental's; a moment before (gateway and database clocks differ): it is
        String tooEarly = Fixtures.smsEvent(number, "Bank", "Your code is 000000", "bank", "000000",
                createdAt.minusSeconds(60));
        String justBefore = Fixtures.smsEvent(number, "Bank", "Your code is 123456", "bank", "123456",
                createdAt.minusSeconds(2));
        Fixtures.awaitApplied(tooEarly, PATIENCE);
        Fixtures.awaitApplied(justBefore, PATIENCE);
        List<Map<String, Object>> messages = customer.messages(id);
        assertEquals(1, messages.size(), messages.toString());
        assertEquals("123456", messages.get(0).get("code"));
        customer.as().get("/v1/rentals/" + id).then().body("last_code", equalTo("123456"))
                .body("status", equalTo("active"));
    }

    @Test
    void listsAreTabbedAndPagedNewestFirst() {
        Fixtures customer = new Fixtures().withBalance(3 * 2500);
        String oldest = customer.rent(1, 90).then().statusCode(201).extract().path("id");
        String middle = customer.rent(1, 90).then().statusCode(201).extract().path("id");
        String newest = customer.rent(1, 90).then().statusCode(201).extract().path("id");
        customer.as().get("/v1/rentals?tab=active").then().statusCode(200)
                .body("id", equalTo(List.of(newest, middle, oldest)));
        customer.as().get("/v1/rentals?limit=2").then().statusCode(200).body("id", equalTo(List.of(newest, middle)));
        customer.as().get("/v1/rentals?limit=2&before=" + middle).then().statusCode(200)
                .body("id", equalTo(List.of(oldest)));
        customer.as().post("/v1/rentals/" + middle + "/cancel").then().statusCode(200);
        customer.as().get("/v1/rentals").then().statusCode(200).body("id", equalTo(List.of(newest, oldest)));
        customer.as().get("/v1/rentals?tab=history").then().statusCode(200).body("id", equalTo(List.of(middle)));
        customer.as().get("/v1/rentals?limit=0").then().statusCode(422);
        customer.as().get("/v1/rentals?before=nope").then().statusCode(422);
        customer.as().get("/v1/rentals/" + newest + "/messages").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void otherAccountsSeeNothingAndCredentialsAreRequired() {
        Fixtures owner = new Fixtures().withBalance(1200);
        String id = owner.rent(1, 30).then().statusCode(201).extract().path("id");
        Fixtures stranger = new Fixtures();
        stranger.as().get("/v1/rentals/" + id).then().statusCode(404).body("detail", equalTo("Rental not found"));
        stranger.as().get("/v1/rentals/" + id + "/messages").then().statusCode(404);
        stranger.as().post("/v1/rentals/" + id + "/cancel").then().statusCode(404);
        stranger.as().get("/v1/rentals?tab=history").then().statusCode(200).body("size()", equalTo(0));
        stranger.as().get("/v1/rentals").then().statusCode(200).body("size()", equalTo(0));
        owner.assertCredentialsAndParametersChecked(id);
        owner.as().get("/v1/rentals/" + id).then().statusCode(200).body("status", equalTo("waiting"));
    }
}
