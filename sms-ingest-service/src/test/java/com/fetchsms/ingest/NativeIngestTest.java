package com.fetchsms.ingest;

import static com.fetchsms.ingest.Fixtures.count;
import static com.fetchsms.ingest.Fixtures.events;
import static com.fetchsms.ingest.Fixtures.sms;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class NativeIngestTest {

    @Test
    void anSmsIsPublishedOnceWithItsDetectedServiceAndCode() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        Instant receivedAt = Instant.now().minusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> message = sms(number, "Telegram", "Telegram code: 48291. Do not give this code to anyone");
        message.put("received_at", receivedAt.toString());
        message.put("gateway_message_id", "modem-17");
        String id = gateway.send(message).then().statusCode(202)
                .body("id", matchesPattern("[0-9a-f-]{36}"))
                .body("duplicate", equalTo(false))
                .body("outcome", equalTo("accepted"))
                .extract().path("id");

        KafkaEvents.Received event = Fixtures.awaitEvent(number);
        assertEquals("fetchsms.sms.inbound.v1", event.type());
        assertEquals("/fetchsms/sms-ingest-service", event.source());
        assertEquals(id, event.data().get("message_id").asText());
        assertEquals(number, event.data().get("number").asText());
        assertEquals("Telegram", event.data().get("sender").asText());
        assertEquals("Telegram code: 48291. Do not give this code to anyone", event.data().get("body").asText());
        assertEquals("telegram", event.data().get("detected_service").asText());
        assertEquals("Telegram", event.data().get("detected_service_name").asText());
        assertEquals("48291", event.data().get("code").asText());
        assertEquals(gateway.id().toString(), event.data().get("gateway_id").asText());
        assertEquals(receivedAt, Instant.parse(event.data().get("received_at").asText()));

        assertEquals(1, count("SELECT count(*) FROM inbound_message WHERE number = ?", number));
        assertEquals(1, count("SELECT count(*) FROM raw_message WHERE to_number = ? AND outcome = 'accepted'"
                + " AND gateway_message_id = 'modem-17' AND adapter = 'native'", number));
    }

    @Test
    void aRepeatedGatewayMessageIdIsADuplicateEvenWithOtherContent() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        Map<String, Object> first = sms(number, "WhatsApp", "Your WhatsApp code: 821-193");
        first.put("gateway_message_id", "abc-1");
        String id = gateway.send(first).then().statusCode(202).extract().path("id");
        Map<String, Object> resent = sms(number, "WhatsApp", "Your WhatsApp code: 821-193 (resent)");
        resent.put("gateway_message_id", "abc-1");
        gateway.send(resent).then().statusCode(202).body("duplicate", equalTo(true)).body("id", equalTo(id))
                .body("outcome", equalTo("duplicate"));

        List<KafkaEvents.Received> published = events(number);
        assertEquals(1, published.size());
        assertEquals("821-193", published.get(0).data().get("code").asText());
        assertEquals(1, count("SELECT count(*) FROM raw_message WHERE to_number = ? AND outcome = 'duplicate'",
                number));
    }

    @Test
    void theSameContentResentWithinTheWindowIsADuplicateButNotAfterIt() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS);
        Map<String, Object> message = sms(number, "22000", "Your Uber code: 7731. Never share this code.");
        message.put("received_at", t0.toString());
        String id = gateway.send(message).then().statusCode(202).extract().path("id");
        message.put("received_at", t0.plusSeconds(90).toString());
        gateway.send(message).then().statusCode(202).body("duplicate", equalTo(true)).body("id", equalTo(id));
        message.put("received_at", t0.plus(20, ChronoUnit.MINUTES).toString());
        gateway.send(message).then().statusCode(202).body("duplicate", equalTo(false));
        Map<String, Object> otherSender = sms(number, "22001", "Your Uber code: 7731. Never share this code.");
        otherSender.put("received_at", t0.toString());
        gateway.send(otherSender).then().statusCode(202).body("duplicate", equalTo(false));

        assertEquals(3, events(number).size());
    }

    @Test
    void copiesArrivingTogetherArePublishedOnce() throws Exception {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        Map<String, Object> message = sms(number, "Discord", "Your Discord verification code is: 662014");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(() -> gateway.send(message).then().statusCode(202).extract().path("id"));
            }
            Set<String> ids = new HashSet<>();
            for (Future<String> result : pool.invokeAll(calls)) {
                ids.add(result.get());
            }
            assertEquals(1, ids.size(), "every copy answers the id of the one stored message");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, events(number).size());
        assertEquals(1, count("SELECT count(*) FROM inbound_message WHERE number = ?", number));
        assertEquals(19, count("SELECT count(*) FROM raw_message WHERE to_number = ? AND outcome = 'duplicate'",
                number));
    }

    @Test
    void aGatewayReportingAnotherGatewaysNumberIsRefusedAndNothingIsPublished() {
        Fixtures.Gw owner = Fixtures.gateway();
        Fixtures.Gw intruder = Fixtures.gateway();
        String number = Fixtures.numberOf(owner);
        intruder.send(sms(number, "Google", "G-771020 is your Google verification code.")).then().statusCode(403)
                .body("detail", equalTo(number + " is not a number of this gateway"));
        String unknown = Fixtures.newNumber();
        intruder.send(sms(unknown, "Google", "G-771021 is your Google verification code.")).then()
                .statusCode(403);
        String retired = Fixtures.numberOf(intruder);
        Fixtures.assign(retired, intruder.id(), "retired");
        intruder.send(sms(retired, "Google", "G-771022 is your Google verification code.")).then()
                .statusCode(403);

        assertTrue(events(number).isEmpty());
        assertTrue(events(unknown).isEmpty());
        assertTrue(events(retired).isEmpty());
        assertEquals(0, count("SELECT count(*) FROM inbound_message WHERE gateway_id = ?", intruder.id()));
        assertEquals(3, count("SELECT count(*) FROM raw_message WHERE gateway_id = ? AND outcome = 'rejected'",
                intruder.id()));
    }

    @Test
    void aNumberMovedToAnotherGatewayBelongsToTheNewOne() {
        Fixtures.Gw first = Fixtures.gateway();
        Fixtures.Gw second = Fixtures.gateway();
        String number = Fixtures.numberOf(first);
        Fixtures.assign(number, second.id(), "rented");
        first.send(sms(number, "Apple", "Your Apple Account code is: 400912.")).then().statusCode(403);
        second.send(sms(number, "Apple", "Your Apple Account code is: 400912.")).then().statusCode(202);
    }

    @Test
    void badReportsAreClearClientErrorsAndStoreNothing() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        gateway.send(sms("12", "Google", "x")).then().statusCode(422)
                .body("detail", equalTo("'to' must be a US phone number in E.164 (+13325550184)"));
        gateway.send(sms(number, " ", "x")).then().statusCode(422)
                .body("detail", equalTo("'from' (the sender) is required"));
        gateway.send(sms(number, "Google", null)).then().statusCode(422)
                .body("detail", equalTo("'text' is required"));
        gateway.send(sms(number, "Google", "x".repeat(5001))).then().statusCode(422);
        Map<String, Object> badTime = sms(number, "Google", "x");
        badTime.put("received_at", "yesterday");
        gateway.send(badTime).then().statusCode(422).body("detail", equalTo(
                "'received_at' must be an ISO-8601 time with offset, e.g. 2026-11-22T08:15:30Z"));
        Map<String, Object> badUdh = sms(number, "Google", "x");
        badUdh.put("udh", "zz");
        gateway.send(badUdh).then().statusCode(422).body("detail", equalTo("'udh' must be hexadecimal"));
        Map<String, Object> ancient = sms(number, "Google", "x");
        ancient.put("received_at", "1970-01-01T00:00:00Z");
        gateway.send(ancient).then().statusCode(422)
                .body("detail", equalTo("'received_at' is before 2000: check the gateway's clock"));
        Map<String, Object> outOfRange = sms(number, "Google", "x");
        outOfRange.put("received_at", "-999999999-01-01T00:00:00Z");
        gateway.send(outOfRange).then().statusCode(422);
        Map<String, Object> wrongType = new HashMap<>(sms(number, "Google", "x"));
        wrongType.put("text", List.of("x"));
        gateway.send(wrongType).then().statusCode(400).body("detail", equalTo("Field 'text' must be a string"));
        gateway.as().contentType(ContentType.JSON).body("[1,").post("/v1/ingest/messages").then().statusCode(400);
        gateway.as().contentType(ContentType.JSON).body("42").post("/v1/ingest/messages").then().statusCode(400)
                .body("detail", equalTo("A message must be a JSON object {to, from, text}"));

        given().contentType(ContentType.JSON).body(sms(number, "Google", "x")).post("/v1/ingest/messages").then()
                .statusCode(401).body("detail", equalTo("A gateway token is required"));
        given().auth().oauth2("fgw_" + "x".repeat(40)).contentType(ContentType.JSON)
                .body(sms(number, "Google", "x")).post("/v1/ingest/messages").then().statusCode(401)
                .body("detail", equalTo("Invalid gateway token"));
        assertEquals(0, count("SELECT count(*) FROM raw_message WHERE gateway_id = ?", gateway.id()));
    }

    @Test
    void aFieldOfTheWrongTypeOrMissingIsRefusedNamingItAndNothingIsStored() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        Map<String, Object> objectTo = sms(number, "Google", "G-123456");
        objectTo.put("to", Map.of("number", number));
        gateway.send(objectTo).then().statusCode(400)
                .body("detail", equalTo("Field 'to' must be a string (or an integer)"));
        Map<String, Object> fractionFrom = sms(number, "Google", "G-123456");
        fractionFrom.put("from", 326.65);
        gateway.send(fractionFrom).then().statusCode(400)
                .body("detail", equalTo("Field 'from' must be a string (or an integer)"));
        Map<String, Object> numericTime = sms(number, "Google", "G-123456");
        numericTime.put("received_at", 1767225600);
        gateway.send(numericTime).then().statusCode(400).body("detail",
                equalTo("Field 'received_at' must be an ISO-8601 time with offset, e.g. 2026-11-22T08:15:30Z"));
        Map<String, Object> numericUdh = sms(number, "Google", "G-123456");
        numericUdh.put("udh", 500034203);
        gateway.send(numericUdh).then().statusCode(400)
                .body("detail", equalTo("Field 'udh' must be a string of hex digits"));
        Map<String, Object> noTo = sms(number, "Google", "G-123456");
        noTo.remove("to");
        gateway.send(noTo).then().statusCode(400).body("detail", equalTo("'to' is required"));
        Map<String, Object> noFrom = sms(number, "Google", "G-123456");
        noFrom.put("from", null);
        gateway.send(noFrom).then().statusCode(400).body("detail", equalTo("'from' is required"));
        Map<String, Object> hexWithSpaces = sms(number, "Google", null);
        hexWithSpaces.remove("text");
        hexWithSpaces.put("text_ucs2", "0047 002D");
        gateway.send(hexWithSpaces).then().statusCode(422)
                .body("detail", equalTo("'text_ucs2' must be hexadecimal UTF-16BE octets"));
        // the token is checked before the fields
        given().contentType(ContentType.JSON).body(noTo).post("/v1/ingest/messages").then().statusCode(401);
        assertEquals(0, count("SELECT count(*) FROM raw_message WHERE gateway_id = ?", gateway.id()));
        assertTrue(events(number).isEmpty());
    }

    @Test
    void numbersAndSendersAndIdsWrittenAsJsonNumbersAreReadAsTheirDigits() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        Map<String, Object> message = sms(null, null, "Your Instagram code is 385 104. Don't share it.");
        message.put("to", Long.parseLong(number.substring(1))); // 1NXXNXXXXXX, as a modem script may write it
        message.put("from", 32665);
        message.put("gateway_message_id", 4711);
        gateway.send(message).then().statusCode(202).body("outcome", equalTo("accepted"));
        KafkaEvents.Received event = Fixtures.awaitEvent(number);
        assertEquals("32665", event.data().get("sender").asText());
        assertEquals("385 104", event.data().get("code").asText());
        // the id was read as "4711": another text under the same id is a duplicate
        Map<String, Object> resent = sms(number, "32665", "Your Instagram code is 999 999.");
        resent.put("gateway_message_id", "4711");
        gateway.send(resent).then().statusCode(202).body("duplicate", equalTo(true));
        assertEquals(1, count("SELECT count(*) FROM inbound_message WHERE number = ?", number));
    }

    @Test
    void aHeaderWithoutValidConcatenationIsDeliveredAsASingleSmsRatherThanLost() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        Map<String, Object> impossiblePart = sms(number, "Google", "G-402913 is your Google verification code.");
        impossiblePart.put("udh", "050003AA0203"); // part 3 of 2
        gateway.send(impossiblePart).then().statusCode(202).body("outcome", equalTo("accepted"));
        Map<String, Object> portAddressed = sms(number, "Google", "G-402914 is your Google verification code.");
        portAddressed.put("udh", "060504158A0000"); // application port addressing, no concatenation
        gateway.send(portAddressed).then().statusCode(202).body("outcome", equalTo("accepted"));
        assertEquals(Set.of("402913", "402914"),
                Set.copyOf(events(number).stream().map(e -> e.data().get("code").asText()).toList()));
    }

    @Test
    void controlCharactersAreRemovedRatherThanFailingTheMessage() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        Map<String, Object> padded = sms(number, "Snap\u0000chat",
                "Snapchat code: 530 118. Happy Snapping!\u0000\u0000\u0007");
        padded.put("gateway_message_id", "nul\u0000id");
        gateway.send(padded).then().statusCode(202).body("outcome", equalTo("accepted"));
        KafkaEvents.Received event = Fixtures.awaitEvent(number);
        assertEquals("Snapchat code: 530 118. Happy Snapping!", event.data().get("body").asText());
        assertEquals("Snapchat", event.data().get("sender").asText());
        assertEquals("530 118", event.data().get("code").asText());
    }

    @Test
    void aResendFromAGatewayWhoseClockRunsAheadIsStillADuplicate() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        Map<String, Object> message = sms(number, "Robinhood", "Your Robinhood code is 448210");
        message.put("received_at", Instant.now().plus(5, ChronoUnit.MINUTES).toString()); // the modem's clock is 5 min fast
        String id = gateway.send(message).then().statusCode(202).body("outcome", equalTo("accepted")).extract()
                .path("id");
        // stored at our time; the resend carries the modem's time again, whatever our clock says by then
        gateway.send(message).then().statusCode(202).body("duplicate", equalTo(true)).body("id", equalTo(id));
        assertEquals(1, events(number).size());
    }

    @Test
    void partsSentUnderTheirMessagesIdAreNotMistakenForDuplicates() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        String[] parts = {"Your Coinbase verification code is 7715", "03. Don't share this code with anyone."};
        for (int part = 1; part <= 2; part++) {
            Map<String, Object> m = sms(number, "Coinbase", parts[part - 1]);
            m.put("udh", "05000311020" + part);
            m.put("gateway_message_id", "msg-99");
            gateway.send(m).then().statusCode(202).body("duplicate", equalTo(false));
        }
        KafkaEvents.Received event = Fixtures.awaitEvent(number);
        assertEquals(parts[0] + parts[1], event.data().get("body").asText());
        assertEquals("771503", event.data().get("code").asText());
    }

    @Test
    void aReusedReferenceReplacesAStalePartInsteadOfMixingTwoMessages() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        Map<String, Object> staleFirst = sms(number, "Amazon", "Your Amazon OTP is 1111");
        staleFirst.put("udh", "0500030702" + "01"); // its part 2 never arrives
        gateway.send(staleFirst).then().statusCode(202).body("outcome", equalTo("partial"));
        Map<String, Object> newFirst = sms(number, "Amazon", "Your Amazon OTP is 2222");
        newFirst.put("udh", "050003070201");
        gateway.send(newFirst).then().statusCode(202).body("outcome", equalTo("partial"))
                .body("duplicate", equalTo(false));
        Map<String, Object> newSecond = sms(number, "Amazon", "33. Do not share it with anyone.");
        newSecond.put("udh", "050003070202");
        gateway.send(newSecond).then().statusCode(202).body("outcome", equalTo("accepted"));

        List<KafkaEvents.Received> published = events(number);
        assertEquals(1, published.size());
        assertEquals("Your Amazon OTP is 222233. Do not share it with anyone.",
                published.get(0).data().get("body").asText());
        assertEquals(1, count("SELECT count(*) FROM raw_message WHERE to_number = ? AND outcome = 'incomplete'",
                number));
    }

    @Test
    void aBatchAnswersEachItemOnItsOwn() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        String foreign = Fixtures.numberOf(Fixtures.gateway());
        List<Map<String, Object>> batch = List.of(
                sms(number, "Venmo", "Venmo: Your code is 118822. Never share it."),
                sms(number, "Venmo", "Venmo: Your code is 118822. Never share it."),
                sms(foreign, "Venmo", "Venmo: Your code is 991100."),
                sms("nope", "Venmo", "x"),
                sms(number, "PayPal", "PayPal: Your security code is: 330011. It expires in 10 minutes."));
        gateway.as().contentType(ContentType.JSON).body(batch).post("/v1/ingest/messages/batch").then()
                .statusCode(202)
                .body("accepted", equalTo(2)).body("duplicates", equalTo(1)).body("failed", equalTo(2))
                .body("results", hasSize(5))
                .body("results[0].status", equalTo(202)).body("results[0].outcome", equalTo("accepted"))
                .body("results[1].duplicate", equalTo(true))
                .body("results[1].id", equalTo(gateway.as().contentType(ContentType.JSON)
                        .body(List.of(sms(number, "Venmo", "Venmo: Your code is 118822. Never share it.")))
                        .post("/v1/ingest/messages/batch").then().extract().path("results[0].id")))
                .body("results[2].status", equalTo(403)).body("results[2].id", nullValue())
                .body("results[3].status", equalTo(422)).body("results[3].detail", matchesPattern("'to' must be.*"))
                .body("results[4].index", equalTo(4)).body("results[4].status", equalTo(202));
        List<KafkaEvents.Received> published = events(number);
        assertEquals(2, published.size());
        assertEquals(Set.of("118822", "330011"), Set.of(published.get(0).data().get("code").asText(),
                published.get(1).data().get("code").asText()));

        gateway.as().contentType(ContentType.JSON).body(List.of()).post("/v1/ingest/messages/batch").then()
                .statusCode(422).body("detail", equalTo("The batch is empty"));
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            tooMany.add(sms(number, "Venmo", "m" + i));
        }
        gateway.as().contentType(ContentType.JSON).body(tooMany).post("/v1/ingest/messages/batch").then()
                .statusCode(422).body("detail", equalTo("A batch holds at most 500 messages"));
        gateway.as().contentType(ContentType.JSON).body(Map.of("to", number)).post("/v1/ingest/messages/batch")
                .then().statusCode(400).body("detail", equalTo("The body must be a JSON array of messages"));
        assertEquals(2, count("SELECT count(*) FROM inbound_message WHERE number = ?", number));
    }

    @Test
    void aBatchItemThatBreaksAFieldRuleIsRefusedOnItsOwnNamingTheField() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        Map<String, Object> noTo = sms(number, "Uber", "Your Uber code is 5521");
        noTo.remove("to");
        Map<String, Object> badUdh = sms(number, "Uber", "Your Uber code is 5522");
        badUdh.put("udh", "05000X420301");
        List<Map<String, Object>> batch = new ArrayList<>();
        batch.add(sms(number, "Lyft", "Your Lyft code is 7731"));
        batch.add(noTo);
        batch.add(badUdh);
        batch.add(null);
        batch.add(sms(number, "Bolt", "Bolt code: 8842"));
        gateway.as().contentType(ContentType.JSON).body(batch).post("/v1/ingest/messages/batch").then()
                .statusCode(202)
                .body("accepted", equalTo(2)).body("failed", equalTo(3))
                .body("results[0].status", equalTo(202))
                .body("results[1].status", equalTo(400)).body("results[1].detail", equalTo("'to' is required"))
                .body("results[2].status", equalTo(422))
                .body("results[2].detail", equalTo("'udh' must be hexadecimal"))
                .body("results[3].status", equalTo(400))
                .body("results[3].detail", equalTo("A message must be a JSON object {to, from, text}"))
                .body("results[4].status", equalTo(202));
        Fixtures.await("the two valid messages", () -> events(number).size() == 2);
        assertEquals(Set.of("7731", "8842"), Set.copyOf(events(number).stream()
                .map(e -> e.data().get("code").asText()).toList()));
        assertEquals(2, count("SELECT count(*) FROM inbound_message WHERE number = ?", number));
        assertEquals(2, count("SELECT count(*) FROM raw_message WHERE to_number = ?", number));
    }

    @Test
    void aBatchWhoseItemHasTheWrongShapeIsRefusedNamingTheItemAndField() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        String valid = "{\"to\": \"" + number + "\", \"from\": \"Lyft\", \"text\": \"Your Lyft code is 7731\"}";
        gateway.as().contentType(ContentType.JSON).body("[" + valid + ", " + valid + ", {\"to\": {}}]")
                .post("/v1/ingest/messages/batch").then().statusCode(400)
                .body("detail", equalTo("Field '[2].to' must be a string (or an integer)"));
        gateway.as().contentType(ContentType.JSON).body("[" + valid + ", \"text\"]")
                .post("/v1/ingest/messages/batch").then().statusCode(400)
                .body("detail", equalTo("Field '[1]' must be a message object {to, from, text}"));
        gateway.as().contentType(ContentType.JSON).body("42").post("/v1/ingest/messages/batch").then()
                .statusCode(400).body("detail", equalTo("The body must be a JSON array of messages"));
        assertEquals(0, count("SELECT count(*) FROM raw_message WHERE to_number = ?", number));
        assertTrue(events(number).isEmpty());
    }

    @Test
    void aFullBatchOf500IsAcceptedInOneCall() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Map<String, Object> m = sms(number, "Steam", "Steam Guard code: " + String.format("%05d", i));
            m.put("gateway_message_id", "b-" + i);
            batch.add(m);
        }
        gateway.as().contentType(ContentType.JSON).body(batch).post("/v1/ingest/messages/batch").then()
                .statusCode(202).body("accepted", equalTo(500)).body("failed", equalTo(0));
        assertEquals(500, count("SELECT count(*) FROM inbound_message WHERE number = ?", number));
        Fixtures.await("500 events", () -> events(number).size() == 500);
    }

    @Test
    void multipartPartsInAnyOrderBecomeOneReassembledMessage() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        String[] parts = {"Your Microsoft account security code is 9043. If you didn't request ",
                "this code, you can ignore this message. Someone may have typed your ",
                "email address by mistake. Thanks, the Microsoft account team"};
        int[] order = {3, 1, 2};
        List<String> outcomes = new ArrayList<>();
        for (int part : order) {
            Map<String, Object> m = sms(number, "Microsoft", parts[part - 1]);
            m.put("udh", String.format("0500034203%02X", part));
            outcomes.add(gateway.send(m).then().statusCode(202).extract().path("outcome"));
        }
        assertEquals(List.of("partial", "partial", "accepted"), outcomes);
        Map<String, Object> late = sms(number, "Microsoft", parts[0]);
        late.put("udh", "05000342030" + 1);
        gateway.send(late).then().statusCode(202); // a resend after reassembly: content or part again, never twice

        List<KafkaEvents.Received> published = events(number);
        assertEquals(1, published.size());
        assertEquals(String.join("", parts), published.get(0).data().get("body").asText());
        assertEquals("9043", published.get(0).data().get("code").asText());
        assertEquals("microsoft", published.get(0).data().get("detected_service").asText());
        assertEquals(3, count("SELECT parts FROM inbound_message WHERE number = ?", number));
        assertEquals(0, count("SELECT count(*) FROM message_part WHERE number = ? AND part <> 1", number));
    }

    @Test
    void ucs2PartsAreJoinedAsOctetsSoAnEmojiSplitAcrossPartsSurvives() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        String whole = "Telegram code: 20549 \uD83D\uDE00 Не сообщайте его никому";
        int split = whole.indexOf('\uDE00'); // part 1 ends with the emoji's high surrogate
        String[] parts = {whole.substring(0, split), whole.substring(split)};
        for (int part = 2; part >= 1; part--) {
            Map<String, Object> m = sms(number, "Telegram", null);
            m.remove("text");
            m.put("text_ucs2", utf16Hex(parts[part - 1]));
            m.put("udh", "0500035102" + "0" + part);
            m.put("gateway_message_id", "modem-a/IN1.txt");
            gateway.send(m).then().statusCode(202).body("outcome", equalTo(part == 1 ? "accepted" : "partial"));
        }
        KafkaEvents.Received event = Fixtures.awaitEvent(number);
        assertEquals(whole, event.data().get("body").asText());
        assertEquals("20549", event.data().get("code").asText());
        assertEquals(1, events(number).size());

        Map<String, Object> single = sms(number, "Telegram", null);
        single.remove("text");
        single.put("text_ucs2", utf16Hex("Telegram code: 77031 — كود التحقق"));
        gateway.send(single).then().statusCode(202).body("outcome", equalTo("accepted"));
        Fixtures.await("the single UCS-2 SMS", () -> events(number).size() == 2);
        assertEquals("Telegram code: 77031 — كود التحقق", events(number).get(1).data().get("body").asText());
    }

    @Test
    void ucs2TextMustBeWholeHexCodeUnitsAndNotBesideText() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        Map<String, Object> both = sms(number, "Telegram", "code 1");
        both.put("text_ucs2", "0031");
        gateway.send(both).then().statusCode(422)
                .body("detail", equalTo("Give either 'text' or 'text_ucs2', not both"));
        Map<String, Object> notHex = sms(number, "Telegram", null);
        notHex.remove("text");
        notHex.put("text_ucs2", "00zz");
        gateway.send(notHex).then().statusCode(422)
                .body("detail", equalTo("'text_ucs2' must be hexadecimal UTF-16BE octets"));
        Map<String, Object> halfUnit = sms(number, "Telegram", null);
        halfUnit.remove("text");
        halfUnit.put("text_ucs2", "003100");
        gateway.send(halfUnit).then().statusCode(422).body("detail", matchesPattern("'text_ucs2' must be whole.*"));
        assertEquals(0, count("SELECT count(*) FROM raw_message WHERE to_number = ?", number));
    }

    private static String utf16Hex(String text) {
        StringBuilder hex = new StringBuilder();
        for (char unit : text.toCharArray()) { // code units, so that a lone surrogate stays as it is
            hex.append(String.format("%04X", (int) unit));
        }
        return hex.toString();
    }

    @Test
    void aRepeatedPartIsADuplicateAndPartsThatNeverCompleteAreKeptButNotPublished() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        Map<String, Object> part = sms(number, "Netflix", "Your Netflix verification code is 123");
        part.put("udh", "0500037702" + "01");
        String id = gateway.send(part).then().statusCode(202).body("outcome", equalTo("partial")).extract()
                .path("id");
        gateway.send(part).then().statusCode(202).body("duplicate", equalTo(true)).body("id", equalTo(id));

        Fixtures.await("the part to expire", () -> count(
                "SELECT count(*) FROM raw_message WHERE to_number = ? AND outcome = 'incomplete'", number) == 1);
        assertEquals(0, count("SELECT count(*) FROM message_part WHERE number = ?", number));
        assertTrue(events(number).isEmpty());
    }

    @Test
    void aReceivedTimeInTheFutureIsReplacedByTheTimeOfIngestion() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        Map<String, Object> m = sms(number, "Lyft", "Your Lyft code is 4410");
        m.put("received_at", Instant.now().plus(2, ChronoUnit.HOURS).toString());
        Instant before = Instant.now();
        gateway.send(m).then().statusCode(202);
        Instant receivedAt = Instant.parse(Fixtures.awaitEvent(number).data().get("received_at").asText());
        assertTrue(!receivedAt.isBefore(before.minusSeconds(1)) && receivedAt.isBefore(Instant.now().plusSeconds(1)),
                "received_at " + receivedAt);
    }

}
