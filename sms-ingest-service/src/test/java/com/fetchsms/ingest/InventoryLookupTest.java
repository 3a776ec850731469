package com.fetchsms.ingest;

import static com.fetchsms.ingest.Fixtures.count;
import static com.fetchsms.ingest.Fixtures.events;
import static com.fetchsms.ingest.Fixtures.rows;
import static com.fetchsms.ingest.Fixtures.sms;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A modem gateway's SMS for a number its local copy of the inventory does not show with that gateway (stocked a moment
 * ago, moved) is never refused for good: catalog is asked. Numbers catalog does not give the gateway are still 403;
 * when catalog cannot be asked the answer is 503 with Retry-After, which gateways retry.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class InventoryLookupTest {

    @Test
    void anSmsForANumberStocked0MsEarlierIsAcceptedPublishedAndTheCopyLearnsTheNumber() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.newNumber();
        Fixtures.stock(number, gateway.id(), "available"); // in catalog; its inventory event not applied here
        String id = gateway.send(sms(number, "Telegram", "Telegram code: 51022. Do not give this code to anyone"))
                .then().statusCode(202).body("outcome", equalTo("accepted")).extract().path("id");

        KafkaEvents.Received event = Fixtures.awaitEvent(number);
        assertEquals(id, event.data().get("message_id").asText());
        assertEquals("51022", event.data().get("code").asText());
        assertEquals(List.of(Map.of("gateway_id", gateway.id(), "state", "available")),
                rows("SELECT gateway_id, state FROM gateway_number WHERE number = ?", number));
        assertEquals(1, Fixtures.lookups(number));

        // the copy knows it now: the next SMS costs no look-up
        gateway.send(sms(number, "Telegram", "Telegram code: 51023. Do not give this code to anyone")).then()
                .statusCode(202).body("outcome", equalTo("accepted"));
        assertEquals(1, Fixtures.lookups(number));
        await().atMost(Duration.ofSeconds(20)).until(() -> events(number).size() == 2);
    }

    @Test
    void aNumberInTheCopyWithThisGatewayCostsNoLookUp() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        for (int i = 0; i < 3; i++) {
            gateway.send(sms(number, "Discord", "Your Discord verification code is: 66201" + i)).then()
                    .statusCode(202).body("outcome", equalTo("accepted"));
        }
        assertEquals(0, Fixtures.lookups(number));
    }

    @Test
    void aNumberMovedToAnotherGatewayIsAcceptedFromTheNewOneBeforeItsEventArrives() {
        Fixtures.Gw first = Fixtures.gateway();
        Fixtures.Gw second = Fixtures.gateway();
        String number = Fixtures.numberOf(first);
        Fixtures.stock(number, second.id(), "available"); // moved in catalog; the copy still says the first gateway
        second.send(sms(number, "Apple", "Your Apple Account code is: 400913.")).then().statusCode(202)
                .body("outcome", equalTo("accepted"));
        first.send(sms(number, "Apple", "Your Apple Account code is: 400914.")).then().statusCode(403)
                .body("detail", equalTo(number + " is not a number of this gateway"));

        List<KafkaEvents.Received> published = events(number);
        assertEquals(1, published.size());
        assertEquals(second.id().toString(), published.get(0).data().get("gateway_id").asText());
        assertEquals(second.id(), rows("SELECT gateway_id FROM gateway_number WHERE number = ?", number).get(0)
                .get("gateway_id"));
        assertEquals(1, count("SELECT count(*) FROM raw_message WHERE gateway_id = ? AND outcome = 'rejected'",
                first.id()));
    }

    @Test
    void numbersCatalogDoesNotGiveTheGatewayAreStillRefusedAndAFloodAsksCatalogOnce() {
        Fixtures.Gw gateway = Fixtures.gateway();
        Fixtures.Gw other = Fixtures.gateway();
        String unknown = Fixtures.newNumber();
        String othersNumber = Fixtures.newNumber();
        Fixtures.stock(othersNumber, other.id(), "available");
        String retired = Fixtures.newNumber();
        Fixtures.stock(retired, gateway.id(), "retired");
        for (int i = 0; i < 20; i++) {
            gateway.send(sms(unknown, "Google", "G-77102" + (i % 10) + " is your Google verification code."))
                    .then().statusCode(403).body("detail", equalTo(unknown + " is not a number of this gateway"));
        }
        gateway.send(sms(othersNumber, "Google", "G-771030 is your Google verification code.")).then()
                .statusCode(403);
        gateway.send(sms(retired, "Google", "G-771031 is your Google verification code.")).then().statusCode(403);

        assertEquals(1, Fixtures.lookups(unknown), "the answer 'unknown' is reused");
        assertTrue(events(unknown).isEmpty());
        assertTrue(events(othersNumber).isEmpty());
        assertTrue(events(retired).isEmpty());
        assertEquals(22, count("SELECT count(*) FROM raw_message WHERE gateway_id = ? AND outcome = 'rejected'",
                gateway.id()));
        assertEquals(0, count("SELECT count(*) FROM inbound_message WHERE gateway_id = ?", gateway.id()));
    }

    @Test
    void whenCatalogCannotBeAskedTheReportIsA503WithRetryAfterAndSucceedsWhenSentAgain() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.newNumber();
        String known = Fixtures.numberOf(gateway);
        Fixtures.stock(number, gateway.id(), "available");
        Map<String, Object> message = sms(number, "WhatsApp", "Your WhatsApp code: 118-207");
        Fixtures.catalogDown(true);
        try {
            gateway.send(message).then().statusCode(503).header("Retry-After", "5")
                    .body("detail", equalTo("Temporarily unavailable: " + number
                            + " could not be checked against the inventory; send it again"));
            // a batch: the items whose number needed catalog are 503, the others are ingested
            gateway.as().contentType(ContentType.JSON)
                    .body(List.of(message, sms(known, "WhatsApp", "Your WhatsApp code: 118-208")))
                    .post("/v1/ingest/messages/batch").then().statusCode(202)
                    .body("accepted", equalTo(1)).body("failed", equalTo(1))
                    .body("results[0].status", equalTo(503)).body("results[0].id", nullValue())
                    .body("results[1].status", equalTo(202)).body("results[1].outcome", equalTo("accepted"));
            // every adapter takes the same path: Kannel gets the same 503
            postKannel(gateway, number, "Your WhatsApp code: 118-207").then().statusCode(503);
        } finally {
            Fixtures.catalogDown(false);
        }
        assertEquals(0, count("SELECT count(*) FROM raw_message WHERE to_number = ?", number));
        gateway.send(message).then().statusCode(202).body("outcome", equalTo("accepted"));
        assertEquals("118-207", Fixtures.awaitEvent(number).data().get("code").asText());
    }

    @Test
    void everyAdapterAcceptsAnSmsForANumberItsCopyDoesNotKnowYet() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String kannel = Fixtures.newNumber();
        String jasmin = Fixtures.newNumber();
        String android = Fixtures.newNumber();
        String batch = Fixtures.newNumber();
        for (String number : List.of(kannel, jasmin, android, batch)) {
            Fixtures.stock(number, gateway.id(), "available");
        }
        postKannel(gateway, kannel, "Your Uber code: 7731. Never share this code.").then().statusCode(202);
        given().queryParam("token", gateway.token()).contentType("application/x-www-form-urlencoded")
                .formParam("id", UUID.randomUUID().toString()).formParam("from", "TikTok")
                .formParam("to", jasmin.substring(1)).formParam("coding", "0")
                .formParam("content", "[TikTok] 542872 is your verification code")
                .post("/v1/ingest/jasmin").then().statusCode(200).body(equalTo("ACK/Jasmin"));
        String body = "{\"deviceId\":\"d1\",\"event\":\"sms:received\",\"id\":\"" + UUID.randomUUID()
                + "\",\"payload\":{\"messageId\":\"m1\",\"message\":\"Your Lyft code is 4411\","
                + "\"phoneNumber\":\"+14155550000\",\"simNumber\":1,\"receivedAt\":\"2026-01-01T00:00:00.000+00:00\"},"
                + "\"webhookId\":\"w1\"}";
        String timestamp = Long.toString(java.time.Instant.now().getEpochSecond());
        given().header("X-Signature", HexFormat.of().formatHex(com.fetchsms.ingest.service.GatewayCredentials
                .androidSignature(gateway.signingKey(), body.getBytes(StandardCharsets.UTF_8), timestamp)))
                .header("X-Timestamp", timestamp).queryParam("to", android).contentType("application/json")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/v1/ingest/android-sms-gateway/" + gateway.id()).then().statusCode(202)
                .body("outcome", equalTo("accepted"));
        gateway.as().contentType(ContentType.JSON)
                .body(List.of(sms(batch, "Venmo", "Venmo: Your code is 118823. Never share it.")))
                .post("/v1/ingest/messages/batch").then().statusCode(202).body("accepted", equalTo(1));

        assertEquals("7731", Fixtures.awaitEvent(kannel).data().get("code").asText());
        assertEquals("542872", Fixtures.awaitEvent(jasmin).data().get("code").asText());
        assertEquals("4411", Fixtures.awaitEvent(android).data().get("code").asText());
        assertEquals("118823", Fixtures.awaitEvent(batch).data().get("code").asText());
    }

    private static io.restassured.response.Response postKannel(Fixtures.Gw gateway, String to, String text) {
        String basic = Base64.getEncoder()
                .encodeToString(("kannel:" + gateway.token()).getBytes(StandardCharsets.UTF_8));
        return given().header("Authorization", "Basic " + basic).header("X-Kannel-From", "22000")
                .header("X-Kannel-To", to).contentType("text/plain; charset=UTF-8")
                .body(text.getBytes(StandardCharsets.UTF_8)).post("/v1/ingest/kannel");
    }
}
