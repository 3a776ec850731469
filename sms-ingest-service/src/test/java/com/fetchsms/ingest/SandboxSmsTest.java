package com.fetchsms.ingest;

import static com.fetchsms.ingest.Fixtures.count;
import static com.fetchsms.ingest.Fixtures.events;
import static com.fetchsms.ingest.Fixtures.sms;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.events.ApiKeyChanged;
import com.fetchsms.common.events.KeyMode;
import com.fetchsms.common.phone.PhoneNumbers;
import com.fetchsms.common.sandbox.Sandbox;
import com.fetchsms.common.security.ApiKeys;
import com.fetchsms.ingest.service.GatewayCredentials;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.RateLimitProbe;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * {@code POST /v1/sandbox/sms}: a test key's simulated SMS to a sandbox number goes through the modem gateways'
 * pipeline; nothing else may use the route, nothing but a sandbox number is reachable through it, and no modem gateway
 * can reach a sandbox number.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class SandboxSmsTest {

    private static final String ROUTE = "/v1/sandbox/sms";

    @TestHTTPResource(ROUTE)
    URI route;

    @Inject
    GatewayCredentials credentials;

    /** A key announced on api-key.changed as wallet-service would, once the service's view knows it. */
    private static String key(KeyMode mode) {
        String key = ApiKeys.generate(mode);
        KafkaEvents.send(new ApiKeyChanged(ApiKeys.hash(key), UUID.randomUUID(), UUID.randomUUID(),
                ApiKeys.shownPrefix(key), ApiKeyChanged.ACTIVE, Instant.now(), mode));
        Fixtures.await("the key is known", () -> send(key, Map.of()).statusCode() != 401);
        return key;
    }

    /** A sandbox number as catalog-service publishes it (state sandbox, the sandbox's gateway). */
    private static String sandboxNumber() {
        String number = Fixtures.newNumber();
        Fixtures.assign(number, Sandbox.GATEWAY_ID, Sandbox.NUMBER_STATE);
        return number;
    }

    private static Response send(String credential, Object body) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (credential != null) {
            request.auth().oauth2(credential);
        }
        return request.post(ROUTE);
    }

    private static Map<String, Object> message(String to, String from, String text) {
        Map<String, Object> body = new HashMap<>();
        body.put("to", to);
        if (from != null) {
            body.put("from", from);
        }
        body.put("text", text);
        return body;
    }

    private static long written(String number) {
        return count("SELECT count(*) FROM raw_message WHERE to_number = ?", number)
                + count("SELECT count(*) FROM inbound_message WHERE number = ?", number)
                + count("SELECT count(*) FROM outbox_event WHERE message_key = ?", number);
    }

    @Test
    void aTestKeysSimulatedSmsIsPublishedWithTheDetectedServiceTheCodeAndTheTimeItWasAccepted() {
        String key = key(KeyMode.TEST);
        String number = sandboxNumber();
        String text = "Your Telegram code: 48291. Do not give this code to anyone";
        // times in answers and events are shown to the second
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // any common spelling of the number: (332) 555-0184
        JsonPath answer = send(key, message(PhoneNumbers.display(number), "Telegram", text)).then().statusCode(202)
                .body("outcome", equalTo("accepted")).body("duplicate", equalTo(false))
                .body("to", equalTo(number)).body("from", equalTo("Telegram")).body("text", equalTo(text))
                .body("detected_service", equalTo("telegram")).body("detected_service_name", equalTo("Telegram"))
                .body("code", equalTo("48291"))
                .extract().jsonPath();
        Instant after = Instant.now();
        String id = answer.getString("id");
        Instant receivedAt = Instant.parse(answer.getString("received_at"));
        assertFalse(receivedAt.isBefore(before), receivedAt + " is before the request " + before);
        assertFalse(receivedAt.isAfter(after), receivedAt + " is after the answer " + after);

        KafkaEvents.Received event = Fixtures.awaitEvent(number);
        assertEquals("fetchsms.sms.inbound.v1", event.type());
        assertEquals(id, event.data().get("message_id").asText());
        assertEquals(number, event.data().get("number").asText());
        assertEquals("Telegram", event.data().get("sender").asText());
        assertEquals(text, event.data().get("body").asText());
        assertEquals("telegram", event.data().get("detected_service").asText());
        assertEquals("Telegram", event.data().get("detected_service_name").asText());
        assertEquals("48291", event.data().get("code").asText());
        assertEquals(Sandbox.GATEWAY_ID.toString(), event.data().get("gateway_id").asText());
        assertEquals(receivedAt, Instant.parse(event.data().get("received_at").asText()));

        // the raw report, as every modem gateway's, under the sandbox's gateway
        assertEquals(1, count("SELECT count(*) FROM raw_message WHERE to_number = ? AND gateway_id = ?"
                + " AND adapter = 'sandbox' AND outcome = 'accepted' AND message_id = ?::uuid", number,
                Sandbox.GATEWAY_ID, id));
        assertEquals(1, count("SELECT count(*) FROM inbound_message WHERE number = ? AND gateway_id = ?"
                + " AND detected_service = 'telegram' AND code = '48291'", number, Sandbox.GATEWAY_ID));

        // the same SMS again within the de-duplication window: a duplicate of the first, not published again
        send(key, message(number, "Telegram", text)).then().statusCode(202)
                .body("outcome", equalTo("duplicate")).body("duplicate", equalTo(true)).body("id", equalTo(id))
                .body("code", equalTo("48291"));
        // another code to the same number is another SMS
        send(key, message(number, "Telegram", "Your Telegram code: 50137")).then().statusCode(202)
                .body("outcome", equalTo("accepted")).body("id", not(equalTo(id))).body("code", equalTo("50137"));
        List<KafkaEvents.Received> published = events(number);
        assertEquals(2, published.size());
        assertEquals(List.of("48291", "50137"), published.stream().map(e -> e.data().get("code").asText()).toList());
        assertEquals(1, count("SELECT count(*) FROM raw_message WHERE to_number = ? AND outcome = 'duplicate'",
                number));
    }

    @Test
    void withoutASenderOrARecognisableServiceTheAnswerSaysNothingWasDetected() {
        String key = key(KeyMode.TEST);
        String number = sandboxNumber();
        send(key, message(number, null, "Hello from the sandbox")).then().statusCode(202)
                .body("outcome", equalTo("accepted")).body("from", equalTo("Sandbox"))
                .body("detected_service", nullValue()).body("detected_service_name", nullValue())
                .body("code", nullValue());
        KafkaEvents.Received event = Fixtures.awaitEvent(number);
        assertEquals("Sandbox", event.data().get("sender").asText());
        assertTrue(event.data().get("detected_service").isNull());
        assertTrue(event.data().get("code").isNull());
    }

    @Test
    void aLiveKeyOrASessionIsForbiddenAndNoCredentialIsUnauthorized() {
        String live = key(KeyMode.LIVE);
        String number = sandboxNumber();
        Map<String, Object> body = message(number, "Telegram", "Your Telegram code: 11111");
        send(live, body).then().statusCode(403).contentType(ContentType.JSON)
                .body("detail", equalTo("POST /v1/sandbox/sms takes a test key (fsk_test_…): a live key acts on the"
                        + " live world"));
        // refused before the body is read: whatever it holds
        send(live, "{not json").then().statusCode(403);
        send(TestTokens.user(UUID.randomUUID()), body).then().statusCode(403)
                .body("detail", equalTo("POST /v1/sandbox/sms takes a test key (fsk_test_…): a dashboard session acts"
                        + " on the live world"));
        send(TestTokens.admin(), body).then().statusCode(403).body("detail", containsString("takes a test key"));
        send(null, body).then().statusCode(401).contentType(ContentType.JSON).body("detail", not(equalTo("")));
        // a test key nobody issued, a revoked one
        send(ApiKeys.generate(KeyMode.TEST), body).then().statusCode(401);
        String revoked = key(KeyMode.TEST);
        KafkaEvents.send(new ApiKeyChanged(ApiKeys.hash(revoked), UUID.randomUUID(), UUID.randomUUID(),
                ApiKeys.shownPrefix(revoked), ApiKeyChanged.REVOKED, Instant.now(), KeyMode.TEST));
        Fixtures.await("the revocation is known", () -> send(revoked, Map.of()).statusCode() == 401);
        // a modem gateway's token is no credential here
        send(Fixtures.gateway().token(), body).then().statusCode(401);

        assertTrue(events(number).isEmpty());
        assertEquals(0, written(number));
    }

    @Test
    void onlyASandboxNumberIsReachableLiveAndUnknownNumbersAreRefusedNamingTo() {
        String key = key(KeyMode.TEST);
        Fixtures.Gw modem = Fixtures.gateway();
        String live = Fixtures.numberOf(modem);
        String rented = Fixtures.numberOf(modem);
        Fixtures.assign(rented, modem.id(), "rented");
        String unknown = Fixtures.newNumber();
        // a sandbox state under a modem's gateway, or a sandbox-gateway number in a live state: never the sandbox's
        String mixedUp = Fixtures.newNumber();
        Fixtures.assign(mixedUp, modem.id(), Sandbox.NUMBER_STATE);
        String liveStateOnTheSandboxGateway = Fixtures.newNumber();
        Fixtures.assign(liveStateOnTheSandboxGateway, Sandbox.GATEWAY_ID, "available");
        String retired = sandboxNumber();
        Fixtures.assign(retired, Sandbox.GATEWAY_ID, "retired");

        for (String number : List.of(live, rented, unknown, mixedUp, liveStateOnTheSandboxGateway, retired)) {
            send(key, message(number, "Google", "G-771020 is your Google verification code.")).then()
                    .statusCode(422).contentType(ContentType.JSON)
                    .body("detail", startsWith("'to' is not a sandbox number: " + number));
            assertTrue(events(number).isEmpty(), number);
            assertEquals(0, count("SELECT count(*) FROM inbound_message WHERE number = ?", number), number);
            assertEquals(0, Fixtures.lookups(number), "catalog is never asked for the sandbox: " + number);
        }
        // the refused reports are kept as the modem gateways' are: rejected, under the sandbox's gateway
        assertEquals(1, count("SELECT count(*) FROM raw_message WHERE to_number = ? AND gateway_id = ?"
                + " AND outcome = 'rejected'", live, Sandbox.GATEWAY_ID));
        // the live number still takes its own gateway's SMS
        modem.send(sms(live, "Google", "G-771020 is your Google verification code.")).then().statusCode(202);
    }

    @Test
    void badBodiesAreClientErrorsNamingTheFieldAndWriteNothing() {
        String key = key(KeyMode.TEST);
        String number = sandboxNumber();
        record Bad(Object body, int status, String detail) {
        }
        Map<String, Object> noTo = message(number, "Telegram", "x");
        noTo.remove("to");
        Map<String, Object> noText = message(number, "Telegram", "x");
        noText.remove("text");
        Map<String, Object> textArray = new HashMap<>(message(number, "Telegram", "x"));
        textArray.put("text", List.of("x"));
        for (Bad bad : List.of(
                new Bad(noTo, 400, "'to' is required"),
                new Bad(noText, 400, "'text' is required"),
                new Bad(message(" ", "Telegram", "x"), 400, "'to' is required"),
                new Bad(message("12", "Telegram", "x"), 422,
                        "'to' must be a US phone number, e.g. +12015550123 or (201) 555-0123"),
                new Bad(message("+441632960961", "Telegram", "x"), 422,
                        "'to' must be a US phone number, e.g. +12015550123 or (201) 555-0123"),
                new Bad(message(number, "Telegram", "x".repeat(5001)), 422,
                        "'text' is longer than 5000 characters"),
                new Bad(message(number, "S".repeat(65), "x"), 422, "'from' is longer than 64 characters"),
                new Bad(message(number, "Telegram", "code\u0000 1234"), 400,
                        "'text' must not contain control characters"),
                new Bad(message(number, "Tele\u0007gram", "x"), 400, "'from' must not contain control characters"),
                new Bad(message(number, "Telegram", "x\ud800"), 400,
                        "'text' is not valid Unicode text (a lone UTF-16 surrogate)"),
                new Bad(textArray, 400, "Field 'text' must be a string"),
                new Bad("{\"to\": ", 400, null),
                new Bad("42", 400, null),
                new Bad("", 400, null))) {
            send(key, bad.body()).then().statusCode(bad.status()).contentType(ContentType.JSON)
                    .body("detail", bad.detail() == null ? not(equalTo("")) : equalTo(bad.detail()));
        }
        assertEquals(0, written(number));
        // a text of tabs and line breaks is an SMS like any other
        send(key, message(number, "Telegram", "Telegram code:\n\t60415")).then().statusCode(202)
                .body("code", equalTo("60415"));
    }

    @Test
    void noModemGatewayEverReachesASandboxNumber() {
        Fixtures.Gw modem = Fixtures.gateway();
        String number = sandboxNumber();
        Map<String, Object> message = sms(number, "Telegram", "Telegram code: 77120");
        modem.send(message).then().statusCode(403).body("detail", equalTo(number + " is not a number of this gateway"));
        // in a batch too
        modem.as().contentType(ContentType.JSON).body(List.of(message)).post("/v1/ingest/messages/batch").then()
                .statusCode(202).body("failed", equalTo(1)).body("results[0].status", equalTo(403));
        // a sandbox number that an event (wrongly) gave to the modem is still no number of the modem's
        String mixedUp = Fixtures.newNumber();
        Fixtures.assign(mixedUp, modem.id(), Sandbox.NUMBER_STATE);
        modem.send(sms(mixedUp, "Telegram", "Telegram code: 77121")).then().statusCode(403);
        // the copy does not know the number yet and catalog answers it is a sandbox number
        String notYetKnown = Fixtures.newNumber();
        Fixtures.stock(notYetKnown, Sandbox.GATEWAY_ID, Sandbox.NUMBER_STATE);
        modem.send(sms(notYetKnown, "Telegram", "Telegram code: 77122")).then().statusCode(403);

        for (String refused : List.of(number, mixedUp, notYetKnown)) {
            assertTrue(events(refused).isEmpty(), refused);
            assertEquals(0, count("SELECT count(*) FROM inbound_message WHERE number = ?", refused), refused);
        }
        assertEquals(4, count("SELECT count(*) FROM raw_message WHERE gateway_id = ? AND outcome = 'rejected'",
                modem.id()));
    }

    @Test
    void theSandboxsGatewayIsNoModemGateway() {
        Fixtures.gateway();
        List<String> ids = Fixtures.admin().get("/v1/admin/gateways").then().statusCode(200).extract().jsonPath()
                .getList("id");
        assertFalse(ids.isEmpty());
        assertFalse(ids.contains(Sandbox.GATEWAY_ID.toString()), "the admin list holds modem gateways only");
        Fixtures.admin().post("/v1/admin/gateways/" + Sandbox.GATEWAY_ID + "/rotate").then().statusCode(404);
        // android-sms-gateway's route names a gateway by id: even signed with the key the sandbox's id would derive,
        // it is no gateway there
        String number = sandboxNumber();
        String ts = Long.toString(Instant.now().getEpochSecond());
        byte[] body = ("{\"event\":\"sms:received\",\"id\":\"sandbox-1\",\"payload\":{\"message\":"
                + "\"Telegram code: 77123\",\"phoneNumber\":\"Telegram\"}}").getBytes(StandardCharsets.UTF_8);
        String signature = HexFormat.of().formatHex(GatewayCredentials.androidSignature(
                credentials.signingKey(Sandbox.GATEWAY_ID, 1), body, ts));
        given().header("X-Signature", signature).header("X-Timestamp", ts).queryParam("to", number)
                .contentType(ContentType.JSON).body(body)
                .post("/v1/ingest/android-sms-gateway/" + Sandbox.GATEWAY_ID).then().statusCode(401);
        assertTrue(events(number).isEmpty());
        assertEquals(1, count("SELECT count(*) FROM gateway WHERE id = ?", Sandbox.GATEWAY_ID));
    }

    @Test
    void theRouteIsDocumentedAsTakingAnApiKeyWithItsBodyAndAnswer() throws Exception {
        JsonNode document = new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().asString());
        JsonNode post = document.path("paths").path(ROUTE).path("post");
        assertTrue(post.path("security").toString().contains("\"apiKey\""), post.path("security").toString());
        assertEquals("#/components/schemas/SandboxSms", post.path("requestBody").path("content")
                .path("application/json").path("schema").path("$ref").asText());
        assertEquals("#/components/schemas/SimulatedSms", post.path("responses").path("202").path("content")
                .path("application/json").path("schema").path("$ref").asText());
        JsonNode schemas = document.path("components").path("schemas");
        Set<String> request = new TreeSet<>();
        schemas.path("SandboxSms").path("properties").fieldNames().forEachRemaining(request::add);
        assertEquals(Set.of("to", "text", "from"), request);
        Set<String> answer = new TreeSet<>();
        schemas.path("SimulatedSms").path("properties").fieldNames().forEachRemaining(answer::add);
        assertEquals(Set.of("id", "outcome", "duplicate", "to", "from", "text", "detected_service",
                "detected_service_name", "code", "received_at"), answer);
    }

    @Test
    void aTestKeysSimulatedSmsAreCountedInTheKeysRateLimitBucket() throws Exception {
        String key = key(KeyMode.TEST);
        // refused bodies: the bursts measure the limiter, not the database
        byte[] body = "{\"to\": \"12\", \"text\": \"x\"}".getBytes(StandardCharsets.UTF_8);
        RateLimitProbe.burst(i -> HttpRequest.newBuilder(route).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), 422, 100);
        // another test key has a bucket of its own
        String other = key(KeyMode.TEST);
        send(other, message("12", null, "x")).then().statusCode(422).header("X-RateLimit-Limit", "100");
    }
}
