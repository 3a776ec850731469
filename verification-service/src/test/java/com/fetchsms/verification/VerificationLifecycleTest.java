package com.fetchsms.verification;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.Topics;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.SmsWatermarks;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class VerificationLifecycleTest {

    @ConfigProperty(name = "fetchsms.verification.window")
    Duration window;

    @Test
    void aCodeIsReleasedOnlyForThePurchasedServiceAndThenCannotBeCancelled() {
        Fixtures customer = new Fixtures().withBalance(1000);
        JsonPath created = customer.create(4, "332", null).then().statusCode(201)
                .body("id", matchesPattern("[0-9a-f-]{36}"))
                .body("ref", matchesPattern("v_[0-9A-Za-z]{6}"))
                .body("service", equalTo("telegram"))
                .body("service_name", equalTo("Telegram"))
                .body("number", matchesPattern("\\(332\\) 555-\\d{4}"))
                .body("code", nullValue())
                .body("status", equalTo("waiting"))
                .body("cost_cents", equalTo(80))
                .extract().jsonPath();
        assertEquals(List.of("id", "ref", "service", "service_name", "number", "sandbox", "code", "codes",
                "awaiting_another_code", "status", "cancel_reason", "cost_cents", "created_at", "expires_at"),
                List.copyOf(created.getMap("$").keySet()));
        Instant createdAt = Instant.parse(created.getString("created_at"));
        assertEquals(createdAt.plus(window), Instant.parse(created.getString("expires_at")));
        assertEquals(920, customer.balance());
        String id = created.getString("id");
        String number = created.getString("number");
        assertEquals(List.copyOf(created.getMap("$").entrySet()),
                List.copyOf(customer.get(id).statusCode(200).extract().jsonPath().getMap("$").entrySet()),
                "GET answers the same fields in the same order");

        // a code of another service and a message without a code, then the awaited code: one number is one key,
        // so one partition, and they are applied in this order. The verification waited through the first two: its
        // code is the third's (a code taken from either of them would have been kept instead)
        Fixtures.sms(number, "whatsapp", "111222", Instant.now());
        Fixtures.sms(number, null, null, Instant.now());
        Fixtures.sms(number, "telegram", "482910", Instant.now());
        awaitStatus(customer, id, "received");
        customer.as().get("/v1/verifications/" + id).then().statusCode(200).body("code", equalTo("482910"))
                .body("codes.code", equalTo(List.of("482910"))).body("codes[0].sender", equalTo("telegram"))
                .body("awaiting_another_code", equalTo(false));
        customer.as().get("/v1/verifications/" + id).then().statusCode(200).body("code", equalTo("482910"));

        KafkaEvents.Received event = KafkaEvents.await(Topics.VERIFICATION_RECEIVED, r -> id.equals(r.key()),
                Duration.ofSeconds(10));
        assertEquals("fetchsms.verification.received.v1", event.type());
        assertEquals("482910", event.data().get("code").asText());
        assertFalse(event.data().has("body"), "the code only, never the message body");

        customer.as().post("/v1/verifications/" + id + "/cancel").then().statusCode(409)
                .body("detail", equalTo(
                        "The code has already been received; a verification with a code cannot be cancelled"));
        customer.as().queryParam("tab", "history").get("/v1/verifications").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.status", equalTo("received"));
    }

    @Test
    void cancellingAWaitingVerificationPublishesTheRefundEvent() {
        Fixtures customer = new Fixtures().withBalance(500);
        String id = customer.create("whatsapp").then().statusCode(201).extract().path("id");
        customer.as().queryParam("tab", "active").get("/v1/verifications").then().statusCode(200)
                .body("id", equalTo(List.of(id)));

        customer.as().post("/v1/verifications/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled")).body("cancel_reason", equalTo("customer"));
        customer.as().post("/v1/verifications/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"));
        KafkaEvents.Received event = KafkaEvents.await(Topics.VERIFICATION_CANCELLED, r -> id.equals(r.key()),
                Duration.ofSeconds(10));
        assertEquals(140, event.data().get("cost_cents").asInt());
        assertEquals(customer.account.toString(), event.data().get("account_id").asText());
        assertEquals("customer", event.data().get("reason").asText());
        assertEquals(1, Fixtures.publishedOfKey(Topics.VERIFICATION_CANCELLED, id, Duration.ofSeconds(30)).size(),
                "cancelled once");
        customer.as().get("/v1/verifications").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aVerificationWithoutACodeExpiresWithItsEvent() {
        Fixtures customer = new Fixtures().withBalance(500);
        String id = customer.create(4).then().statusCode(201).extract().path("id");
        awaitStatus(customer, id, "expired");
        KafkaEvents.Received event = KafkaEvents.await(Topics.VERIFICATION_EXPIRED, r -> id.equals(r.key()),
                Duration.ofSeconds(10));
        assertEquals("fetchsms.verification.expired.v1", event.type());
        assertEquals(70, event.data().get("cost_cents").asInt());
        customer.as().post("/v1/verifications/" + id + "/cancel").then().statusCode(409);
    }

    @Test
    void aCodeCountsByWhenTheCarrierReceivedItNotWhenItIsProcessed() {
        Fixtures customer = new Fixtures().withBalance(500);
        JsonPath late = customer.create(4).then().statusCode(201).extract().jsonPath();
        JsonPath onTime = customer.create(2).then().statusCode(201).extract().jsonPath();
        Instant expiresAt = Instant.parse(late.getString("expires_at"));

        // received by the carrier after the window: never released, even though the row is still waiting
        Fixtures.sms(late.getString("number"), "telegram", "999000", expiresAt.plusSeconds(1));
        // received in time but processed after the window closed (within the expiry grace): released
        sleepUntil(Instant.parse(onTime.getString("expires_at")).plusMillis(300));
        Fixtures.sms(onTime.getString("number"), "whatsapp", "123456",
                Instant.parse(onTime.getString("expires_at")).minusSeconds(1));

        awaitStatus(customer, onTime.getString("id"), "received");
        awaitStatus(customer, late.getString("id"), "expired");
        customer.as().get("/v1/verifications/" + late.getString("id")).then().body("code", nullValue());
        assertTrue(Fixtures.publishedOfKey(Topics.VERIFICATION_EXPIRED, onTime.getString("id"), Duration.ofSeconds(30))
                .isEmpty(), "received or expired, never both");
    }

    @Test
    void aCodeAcceptedInTimeIsReleasedHoweverLateThePipelineDeliversIt() throws Exception {
        Fixtures customer = new Fixtures().withBalance(500);
        try (AutoCloseable pipelineAway = SmsWatermarks.hold()) {
            JsonPath bought = customer.create(2).then().statusCode(201).extract().jsonPath();
            String id = bought.getString("id");
            Instant expiresAt = Instant.parse(bought.getString("expires_at"));
            // sms-ingest, Kafka or this consumer is away well past the window and its grace (3 s in tests): the
            // arrival watermark stands still, so the window is not made final
            sleepUntil(expiresAt.plusSeconds(5));
            customer.as().get("/v1/verifications/" + id).then().statusCode(200).body("status", equalTo("waiting"));
            // then the SMS the platform accepted a second before the window closed comes through
            Fixtures.sms(bought.getString("number"), "whatsapp", "246810", expiresAt.minusSeconds(1));
            awaitStatus(customer, id, "received");
            customer.as().get("/v1/verifications/" + id).then().body("code", equalTo("246810"));
            assertEquals(500 - bought.getInt("cost_cents"), customer.balance(), "charged once, never refunded");
        }
    }

    @Test
    void otherAccountsSeeNothingAndCredentialsAreRequired() {
        Fixtures owner = new Fixtures().withBalance(500);
        String id = owner.create(4).then().statusCode(201).extract().path("id");
        Fixtures stranger = new Fixtures();
        stranger.as().get("/v1/verifications/" + id).then().statusCode(404);
        stranger.as().post("/v1/verifications/" + id + "/cancel").then().statusCode(404);
        owner.assertCredentialsAndParametersChecked(id);
    }

    static void awaitStatus(Fixtures customer, String id, String status) {
        await("status of verification " + id + " to be " + status).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> customer.as().get("/v1/verifications/" + id)
                        .then().statusCode(200).extract().<String>path("status"), status::equals);
    }

    static void sleepUntil(Instant instant) {
        long millis = Duration.between(Instant.now(), instant).toMillis();
        if (millis > 0) {
            sleep(millis);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
