package com.fetchsms.e2e;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * A long-term rental (the Unlimited product, id 1) receives every SMS on its number, whatever the service, with
 * {@code last_code} and a signed webhook per message; a rental without a code is cancelled and refunded. Runs first:
 * rentals take pristine numbers only, and this class stocks its own area code (628) right before.
 */
@Order(10)
class RentalTest extends E2eTest {

    static Customer renter;
    static WebhookReceiver hooks;
    static String secret;
    static JsonPath rental;

    @BeforeAll
    static void stock() {
        renter = world().newCustomer("renter", 3000);
        world().importNumbers(world().modemA, world().newNumbers("628", 2));
        hooks = webhookReceiver();
        secret = renter.withSession().body(Map.of("url", hooks.url(), "events", List.of("sms.received")))
                .post("/webhooks").then().statusCode(201).body("url", equalTo(hooks.url()))
                .body("events", equalTo(List.of("sms.received"))).body("secret", startsWith("whsec_")).extract()
                .path("secret");
    }

    @Test
    @Order(1)
    void rentsAPristineNumberForSevenDays() {
        World.anonymous().queryParam("service", 1).queryParam("mode", "long").queryParam("days", 7)
                .queryParam("custom_area_code", true).get("/services/quote").then().statusCode(200)
                .body("service", equalTo("unlimited-services")).body("total_cents", equalTo(610));
        Poll.until("two pristine numbers on sale", ASYNC, () -> World.anonymous().get("/services"),
                r -> r.statusCode() == 200 && r.jsonPath().getInt("find { it.id == 1 }.long_available") >= 2);
        World.anonymous().queryParam("mode", "long").get("/services/area-codes").then().statusCode(200)
                .body("$", hasItem("628"));

        rental = renter.withKey().body(Map.of("service", 1, "days", 7, "area_code", "628")).post("/rentals").then()
                .statusCode(201).body("ref", startsWith("r_")).body("service", equalTo("unlimited-services"))
                .body("service_name", equalTo("Unlimited Services")).body("number", startsWith("(628) 555-"))
                .body("duration_days", equalTo(7)).body("last_code", nullValue()).body("status", equalTo("waiting"))
                .body("cost_cents", equalTo(610)).extract().jsonPath();
        Instant created = Instant.parse(rental.getString("created_at"));
        assertEquals(created.plus(7, ChronoUnit.DAYS), Instant.parse(rental.getString("expires_at")));
        assertEquals(3000 - 610, renter.balance());
    }

    @Test
    @Order(2)
    void receivesEveryMessageNewestFirstWithLastCode() {
        String id = rental.getString("id");
        String number = rental.getString("number");
        String whatsapp = code(3) + "-" + code(3);
        String telegram = code(5);
        String whatsappText = "Your WhatsApp code: " + whatsapp + ". Don't share this code with others";
        String telegramText = "Telegram code: " + telegram + ". Do not give this code to anyone, even if they say"
                + " they are from Telegram!";
        String parcelText = "Your parcel is out for delivery today. Track it in the app.";
        // The modem stamps when it received each SMS: one second apart, so "newest first" is well defined.
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        world().deliverSms(number, "WhatsApp", whatsappText, t0.toString());
        world().deliverSms(number, "Telegram", telegramText, t0.plusSeconds(1).toString());
        world().deliverSms(number, "FedEx", parcelText, t0.plusSeconds(2).toString());

        JsonPath messages = Poll.until("three messages on rental " + id, ASYNC,
                () -> renter.withKey().get("/rentals/{id}/messages", id),
                r -> r.statusCode() == 200 && r.jsonPath().getList("$").size() == 3).jsonPath();
        assertEquals(List.of("FedEx", "Telegram", "WhatsApp"), messages.getList("sender"), "newest first");
        assertEquals(List.of(parcelText, telegramText, whatsappText), messages.getList("body"));
        assertNull(messages.get("[0].code"), "an SMS without a code has code null");
        assertEquals(telegram, messages.getString("[1].code"));
        assertEquals(whatsapp, messages.getString("[2].code"));
        assertEquals(t0.plusSeconds(2), Instant.parse(messages.getString("[0].received_at")));

        renter.withKey().get("/rentals/{id}", id).then().statusCode(200).body("status", equalTo("active"))
                .body("last_code", equalTo(telegram)).body("number", equalTo(number));

        // One signed sms.received per message, with the body (the number is the buyer's).
        for (String[] expected : List.of(new String[]{"WhatsApp", whatsapp, whatsappText, "WhatsApp"},
                new String[]{"Telegram", telegram, telegramText, "Telegram"})) {
            WebhookReceiver.Delivery delivery = hooks.await("sms.received for " + expected[0] + " on rental " + id,
                    ASYNC, d -> d.body().contains(expected[2]));
            assertEquals("sms.received", delivery.event());
            assertTrue(delivery.signedWith(secret), "X-FetchSMS-Signature verifies with the endpoint secret");
            assertFalse(delivery.signedWith(secret + "x"), "and not with another secret");
            JsonPath event = delivery.json();
            assertEquals("sms.received", event.getString("event"));
            assertEquals(id, event.getString("data.rental_id"));
            assertNull(event.get("data.verification_id"));
            assertEquals(rental.getString("ref"), event.getString("data.ref"));
            assertEquals(number, event.getString("data.number"));
            assertEquals(expected[0], event.getString("data.sender"));
            assertEquals(expected[1], event.getString("data.code"));
            assertEquals(expected[2], event.getString("data.body"));
            assertEquals(expected[3], event.getString("data.detected_service"), "detected service of " + expected[2]);
        }
        WebhookReceiver.Delivery parcel = hooks.await("sms.received for the parcel SMS", ASYNC,
                d -> d.body().contains(parcelText));
        assertTrue(parcel.signedWith(secret));
        assertNull(parcel.json().get("data.code"));

        // A rental that received a code is charged: it can no longer be cancelled.
        assertError(renter.withKey().post("/rentals/{id}/cancel", id), 409);
    }

    @Test
    @Order(3)
    void cancelsARentalWithoutCodeAndRefundsIt() {
        long before = renter.balance();
        JsonPath second = renter.withKey().body(Map.of("service", "unlimited-services", "days", 1, "area_code", "628"))
                .post("/rentals").then().statusCode(201).body("cost_cents", equalTo(310)).extract().jsonPath();
        String id = second.getString("id");
        assertEquals(before - 310, renter.balance());
        renter.withKey().get("/rentals").then().statusCode(200).body("id", hasItem(id));

        renter.withKey().post("/rentals/{id}/cancel", id).then().statusCode(200).body("status", equalTo("cancelled"));
        renter.withKey().post("/rentals/{id}/cancel", id).then().statusCode(200).body("status", equalTo("cancelled"));
        Customer.LedgerItem refund = awaitRefund(renter, second.getString("ref"));
        assertEquals(310, refund.amountCents());
        assertEquals(before, renter.balance());
        renter.withKey().queryParam("tab", "history").get("/rentals").then().statusCode(200)
                .body("id", hasItem(id));
    }

    @Test
    @Order(4)
    void refusesWhatTheApiRefuses() {
        long before = renter.balance();
        assertError(renter.withKey().body(Map.of("service", 1, "days", 14)).post("/rentals"), 422);
        assertError(renter.withKey().body(Map.of("service", 4, "days", 7)).post("/rentals"), 404);
        // Both 628 numbers have been used (one is rented, the cancelled one is no longer pristine): out of stock.
        Response outOfStock = renter.withKey().body(Map.of("service", 1, "days", 7, "area_code", "628"))
                .post("/rentals");
        outOfStock.then().body("detail", containsString("628"));
        assertError(outOfStock, 409);
        assertEquals(before, renter.balance(), "a refused rental charges nothing");
    }
}
