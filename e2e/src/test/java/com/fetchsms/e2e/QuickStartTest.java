package com.fetchsms.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

/**
 * The quick start with an API key — list services, create a verification, poll until the code — with the
 * modem gateway's side in between: an SMS for another service first (ignored: the verification keeps waiting), then
 * the Telegram one (released). The customer's webhook endpoint gets the signed {@code sms.received}.
 */
@Order(20)
class QuickStartTest extends E2eTest {

    static Customer dev;
    static WebhookReceiver hooks;
    static String webhookId;
    static String secret;
    static JsonPath verification;
    static String telegramCode;
    static String whatsappCode;

    @BeforeAll
    static void signUp() {
        dev = world().newCustomer("dev", 1000);
        hooks = webhookReceiver();
        JsonPath endpoint = dev.withSession().body(Map.of("url", hooks.url())).post("/webhooks").then()
                .statusCode(201).body("secret", startsWith("whsec_"))
                .body("events", equalTo(List.of("sms.received", "rental.expired"))).extract().jsonPath();
        webhookId = endpoint.getString("id");
        secret = endpoint.getString("secret");
        String listing = dev.withSession().get("/webhooks").then().statusCode(200).body("id", hasItem(webhookId))
                .extract().asString();
        assertFalse(listing.contains(secret), "GET /v1/webhooks never shows the secret");
    }

    @Test
    @Order(1)
    void listsServicesWithoutKey() {
        JsonPath services = Poll.until("Telegram in stock", ASYNC, () -> World.anonymous().get("/services"),
                r -> r.statusCode() == 200 && r.jsonPath().getInt("find { it.id == 4 }.short_available") > 0)
                .jsonPath();
        assertEquals("telegram", services.getString("find { it.id == 4 }.slug"));
        assertEquals("Telegram", services.getString("find { it.id == 4 }.name"));
        assertEquals(70, services.getInt("find { it.id == 4 }.price_cents"));
        assertEquals(Map.of(), services.getMap("find { it.id == 4 }.long_prices"));
        assertEquals(Map.of("1", 300, "7", 600, "30", 1200, "90", 2500, "365", 9000),
                services.getMap("find { it.id == 1 }.long_prices"));
        World.anonymous().queryParam("service", 4).queryParam("mode", "short").queryParam("custom_area_code", true)
                .get("/services/quote").then().statusCode(200).body("service", equalTo("telegram"))
                .body("mode", equalTo("short")).body("days", nullValue()).body("base_daily_cents", equalTo(70))
                .body("discount_pct", equalTo(0)).body("per_day_cents", nullValue())
                .body("surcharge_cents", equalTo(10)).body("total_cents", equalTo(80));
    }

    @Test
    @Order(2)
    void createsAVerificationWithTheApiKey() {
        verification = dev.withKey().body(Map.of("service", 4)).post("/verifications").then().statusCode(201)
                .body("ref", startsWith("v_")).body("service", equalTo("telegram"))
                .body("service_name", equalTo("Telegram")).body("code", nullValue())
                .body("status", equalTo("waiting")).body("cost_cents", equalTo(70)).extract().jsonPath();
        assertTrue(verification.getString("number").matches("\\(\\d{3}\\) \\d{3}-\\d{4}"),
                "the documented number format: " + verification.getString("number"));
        Instant created = Instant.parse(verification.getString("created_at"));
        assertEquals(created.plus(Duration.ofMinutes(15)), Instant.parse(verification.getString("expires_at")));
        assertEquals(930, dev.balance(), "charged up front");
        dev.withKey().queryParam("tab", "active").get("/verifications").then().statusCode(200)
                .body("id", hasItem(verification.getString("id")));
    }

    @Test
    @Order(3)
    void anSmsForAnotherServiceIsIgnoredAndTheRightOneReleasesTheCode() {
        String id = verification.getString("id");
        String number = verification.getString("number");
        whatsappCode = code(3) + "-" + code(3);
        telegramCode = code(5);
        // The modem gateway reports a WhatsApp SMS first, then the Telegram one (same number: same partition, in
        // order). Had the WhatsApp one been taken, the verification would hold its code.
        world().deliverSms(number, "WhatsApp", "Your WhatsApp code: " + whatsappCode
                + ". Don't share this code with others");
        dev.withKey().get("/verifications/{id}", id).then().statusCode(200).body("status", equalTo("waiting"))
                .body("code", nullValue());
        world().deliverSms(number, "Telegram", "Telegram code: " + telegramCode
                + ". Do not give this code to anyone, even if they say they are from Telegram!");

        JsonPath received = awaitVerification(dev, id, "received");
        assertEquals(telegramCode, received.getString("code"), "the Telegram code, not the WhatsApp one");
        assertNull(received.get("body"), "the code only, never the message body");
        assertEquals(930, dev.balance(), "charged on receipt: nothing refunded");
        dev.withKey().queryParam("tab", "active").get("/verifications").then().statusCode(200)
                .body("id", not(hasItem(id)));
        dev.withKey().queryParam("tab", "history").get("/verifications").then().statusCode(200)
                .body("id", hasItem(id));
        // Code already received: it cannot be cancelled.
        assertError(dev.withKey().post("/verifications/{id}/cancel", id), 409);
    }

    @Test
    @Order(4)
    void theWebhookEndpointGetsASignedSmsReceived() {
        String id = verification.getString("id");
        WebhookReceiver.Delivery delivery = hooks.await("sms.received of verification " + id, ASYNC,
                d -> d.body().contains(id));
        assertEquals("sms.received", delivery.event());
        assertTrue(delivery.signedWith(secret), "X-FetchSMS-Signature = hex HMAC-SHA256(raw body, secret)");
        assertFalse(delivery.signedWith("whsec_someone-else"));
        assertTrue(delivery.deliveryId() != null && !delivery.deliveryId().isBlank(), "X-FetchSMS-Delivery");
        JsonPath event = delivery.json();
        assertEquals("sms.received", event.getString("event"));
        assertEquals(id, event.getString("data.verification_id"));
        assertEquals(verification.getString("ref"), event.getString("data.ref"));
        assertEquals(verification.getString("number"), event.getString("data.number"));
        assertEquals("Telegram", event.getString("data.sender"));
        assertEquals(telegramCode, event.getString("data.code"));
        assertEquals("Telegram", event.getString("data.detected_service"));
        assertNull(event.get("data.body"), "a verification event carries the code only");
        assertTrue(event.getString("created_at").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"),
                "whole seconds UTC: " + event.getString("created_at"));
        assertTrue(hooks.deliveries().stream().noneMatch(d -> d.body().contains(whatsappCode)),
                "nothing was sent for the ignored WhatsApp SMS");

        // A test ping is signed the same way; the deliveries list shows what was sent.
        dev.withSession().post("/webhooks/{id}/test", webhookId).then().statusCode(202);
        WebhookReceiver.Delivery ping = hooks.await("the ping", ASYNC, d -> "ping".equals(d.event()));
        assertTrue(ping.signedWith(secret));
        assertEquals(webhookId, ping.json().getString("data.webhook_id"));
        Poll.until("both deliveries listed as delivered", ASYNC,
                () -> dev.withSession().get("/webhooks/{id}/deliveries", webhookId),
                r -> r.statusCode() == 200 && r.jsonPath().getList("findAll { it.status == 'delivered' }").size() == 2)
                .then().body("event", hasItem("sms.received")).body("last_status_code", hasItem(204))
                .body("[0].attempts", notNullValue());
    }
}
