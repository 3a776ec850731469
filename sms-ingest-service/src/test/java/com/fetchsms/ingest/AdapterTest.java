package com.fetchsms.ingest;

import static com.fetchsms.ingest.Fixtures.count;
import static com.fetchsms.ingest.Fixtures.events;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fetchsms.ingest.service.GatewayCredentials;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Each adapter with the request shape its gateway software really sends. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class AdapterTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    // ── android-sms-gateway ──────────────────────────────────────────────────────────────────────────────────────

    /** Five minutes ago in the phone's local time zone (+07:00), as the app formats it. */
    private static final String RECEIVED_AT = java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(7))
            .minusMinutes(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX"));

    private static String androidEvent(String event, String message, String sender, Integer sim) {
        return "{\"deviceId\":\"ffffffffceb0b1db0000018e937c815b\",\"event\":\"" + event
                + "\",\"id\":\"Ey6ECgOkVVFjz3CL48B8C\","
                + "\"payload\":{\"messageId\":\"abc123\",\"message\":\"" + message + "\",\"phoneNumber\":\"" + sender
                + "\",\"simNumber\":" + sim + ",\"receivedAt\":\"" + RECEIVED_AT + "\"},"
                + "\"webhookId\":\"LreFUt-Z3sSq0JufY9uWB\"}";
    }

    private static Response postAndroid(Fixtures.Gw gateway, Map<String, String> query, String body, String key,
            long timestamp) {
        String ts = Long.toString(timestamp);
        String signature = HexFormat.of().formatHex(GatewayCredentials.androidSignature(key,
                body.getBytes(StandardCharsets.UTF_8), ts));
        return given().header("X-Signature", signature).header("X-Timestamp", ts)
                .queryParams(query).contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8))
                .post("/v1/ingest/android-sms-gateway/" + gateway.id());
    }

    @Test
    void androidSmsGatewayWebhooksAreVerifiedAndPublished() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String sim1 = Fixtures.numberOf(gateway);
        String sim2 = Fixtures.numberOf(gateway);
        Map<String, String> query = Map.of("sim1", sim1, "sim2", sim2);
        long now = Instant.now().getEpochSecond();
        String body = androidEvent("sms:received", "Your Instagram code is 385 104. Don't share it.", "32665", 2);
        postAndroid(gateway, query, body, gateway.signingKey(), now).then().statusCode(202)
                .body("outcome", equalTo("accepted"));
        // the app resends with the same (content-derived, not unique) id: one event
        postAndroid(gateway, query, body, gateway.signingKey(), now + 1).then().statusCode(202)
                .body("duplicate", equalTo(true));

        KafkaEvents.Received event = Fixtures.awaitEvent(sim2);
        assertEquals("32665", event.data().get("sender").asText());
        assertEquals("instagram", event.data().get("detected_service").asText());
        assertEquals(java.time.OffsetDateTime.parse(RECEIVED_AT).toInstant(),
                Instant.parse(event.data().get("received_at").asText()));
        assertEquals(1, events(sim2).size());
        assertTrue(events(sim1).isEmpty());
        assertEquals(2,
                count("SELECT count(*) FROM raw_message WHERE to_number = ? AND adapter = 'android-sms-gateway'",
                        sim2));

        postAndroid(gateway, query, androidEvent("system:ping", "", "", 1), gateway.signingKey(), now).then()
                .statusCode(200).body("ignored", equalTo("system:ping"));
    }

    @Test
    void androidSmsGatewayRequestsWithABadOrStaleSignatureAreRefused() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        Map<String, String> query = Map.of("to", number);
        long now = Instant.now().getEpochSecond();
        String body = androidEvent("sms:received", "Telegram code: 11223", "Telegram", 1);
        postAndroid(gateway, query, body, "not-the-key", now).then().statusCode(401)
                .body("detail", equalTo("Invalid signature"));
        postAndroid(gateway, query, body, gateway.signingKey(), now - 3600).then().statusCode(401)
                .body("detail", equalTo("X-Timestamp is too far from now: a stale or replayed request"));
        Fixtures.Gw other = Fixtures.gateway();
        postAndroid(other, query, body, gateway.signingKey(), now).then().statusCode(401);
        given().queryParams(query).contentType("application/json").body(body)
                .post("/v1/ingest/android-sms-gateway/" + gateway.id()).then().statusCode(401);
        // a signed body tampered with on the way
        String ts = Long.toString(now);
        String signature = HexFormat.of().formatHex(GatewayCredentials.androidSignature(gateway.signingKey(),
                body.getBytes(StandardCharsets.UTF_8), ts));
        given().header("X-Signature", signature).header("X-Timestamp", ts).contentType("application/json")
                .queryParams(query).body(body.replace("11223", "99999"))
                .post("/v1/ingest/android-sms-gateway/" + gateway.id()).then().statusCode(401);
        String rotatedKey = Fixtures.admin().post("/v1/admin/gateways/" + gateway.id() + "/rotate").then()
                .statusCode(200).extract().path("signing_key");
        postAndroid(gateway, query, body, gateway.signingKey(), now).then().statusCode(401)
                .body("detail", equalTo("Invalid signature"));
        gateway = new Fixtures.Gw(gateway.id(), gateway.name(), null, rotatedKey);
        postAndroid(gateway, Map.of(), body, gateway.signingKey(), now).then().statusCode(422)
                .body("detail",
                        equalTo("The webhook URL names no receiving number: add ?to=<E.164 number> or ?sim1=<number>"));
        assertTrue(events(number).isEmpty());
    }

    @Test
    void androidSmsGatewayBodiesAreReadAsTheAppWritesThemAndAMalformedOneIsRefusedNamingTheField() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String sim1 = Fixtures.numberOf(gateway);
        long now = Instant.now().getEpochSecond();
        // a sender written as a number, a SIM slot written as text (not usable: ?to= is taken), fields the route
        // does not read
        String body = "{\"event\":\"sms:received\",\"id\":\"Qx9fA2\",\"deviceId\":\"d1\",\"payload\":{"
                + "\"message\":\"Telegram code: 55124\",\"phoneNumber\":12025550143,\"simNumber\":\"one\","
                + "\"receivedAt\":\"" + RECEIVED_AT + "\",\"extra\":{\"nested\":[1,2]}},\"webhookId\":\"w1\"}";
        postAndroid(gateway, Map.of("to", sim1), body, gateway.signingKey(), now).then().statusCode(202)
                .body("outcome", equalTo("accepted"));
        KafkaEvents.Received event = Fixtures.awaitEvent(sim1);
        assertEquals("12025550143", event.data().get("sender").asText());
        assertEquals("55124", event.data().get("code").asText());

        String sim2 = Fixtures.numberOf(gateway);
        postAndroid(gateway, Map.of("to", sim2), "[]", gateway.signingKey(), now).then().statusCode(400)
                .body("detail", equalTo("The body must be a webhook event object"));
        postAndroid(gateway, Map.of("to", sim2), "{\"event\":", gateway.signingKey(), now).then().statusCode(400)
                .body("detail", equalTo("The body is not JSON"));
        postAndroid(gateway, Map.of("to", sim2), "{\"event\":\"sms:received\",\"id\":\"Qx9fA3\",\"payload\":{"
                + "\"message\":{\"text\":\"code 1\"},\"phoneNumber\":\"Telegram\"}}", gateway.signingKey(), now)
                .then().statusCode(400).body("detail", equalTo("Field 'payload.message' has the wrong type"));
        assertEquals(0, count("SELECT count(*) FROM raw_message WHERE to_number = ?", sim2));
    }

    // ── Kannel ───────────────────────────────────────────────────────────────────────────────────────────────────

    private static Response postKannel(Fixtures.Gw gateway, String contentType, byte[] body,
            Map<String, String> headers) {
        String basic = Base64.getEncoder()
                .encodeToString(("kannel:" + gateway.token()).getBytes(StandardCharsets.UTF_8));
        return given().header("Authorization", "Basic " + basic).headers(headers).contentType(contentType).body(body)
                .post("/v1/ingest/kannel");
    }

    private static final java.time.format.DateTimeFormatter KANNEL_TIME = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC);

    @Test
    void kannelPostUrlRequestsArePublished() {
        Instant sent = Instant.now().minusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        postKannel(gateway, "text/plain; charset=\"ISO-8859-1\"",
                "Código de verificación de WhatsApp: 417-902".getBytes(StandardCharsets.ISO_8859_1),
                Map.of("X-Kannel-From", "+14157355130", "X-Kannel-To", number.substring(1),
                        "X-Kannel-Time", KANNEL_TIME.format(sent), "X-Kannel-Coding", "0",
                        "X-Kannel-Service", "fetchsms"))
                .then().statusCode(202).body(equalTo(""));
        KafkaEvents.Received event = Fixtures.awaitEvent(number);
        assertEquals("Código de verificación de WhatsApp: 417-902", event.data().get("body").asText());
        assertEquals("417-902", event.data().get("code").asText());
        assertEquals(sent, Instant.parse(event.data().get("received_at").asText()));
    }

    @Test
    void kannelUcs2PartsReassembleEvenWhenAnEmojiIsSplitBetweenThem() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        String text = "Ваш код Telegram: 90311 \uD83D\uDD12 Никому не сообщайте этот код";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_16BE);
        int split = text.indexOf('\uD83D') * 2 + 2; // between the two halves of the surrogate pair
        byte[][] parts = {java.util.Arrays.copyOfRange(bytes, 0, split),
                java.util.Arrays.copyOfRange(bytes, split, bytes.length)};
        Map<String, String> headers2 = Map.of("X-Kannel-From", "Telegram", "X-Kannel-To", number,
                "X-Kannel-UDH", "%06%08%04%0A%0B%02%02", "X-Kannel-Coding", "2");
        Map<String, String> headers1 = Map.of("X-Kannel-From", "Telegram", "X-Kannel-To", number,
                "X-Kannel-UDH", "%06%08%04%0A%0B%02%01", "X-Kannel-Coding", "2");
        // Kannel 1.4 URL-encodes the UDH octets and quotes the charset; older smsbox sends UCS-2 as octet-stream
        postKannel(gateway, "text/plain; charset=\"UTF-16BE\"", parts[1], headers2).then().statusCode(202);
        postKannel(gateway, "application/octet-stream", parts[0], headers1).then().statusCode(202);

        KafkaEvents.Received event = Fixtures.awaitEvent(number);
        assertEquals(text, event.data().get("body").asText());
        assertEquals("90311", event.data().get("code").asText());
        assertEquals("telegram", event.data().get("detected_service").asText());
        assertEquals(1, events(number).size());
    }

    @Test
    void kannelWithoutCredentialsIsRefused() {
        given().header("X-Kannel-From", "x").header("X-Kannel-To", "+13325550100").contentType("text/plain")
                .body("hi").post("/v1/ingest/kannel").then().statusCode(401);
    }

    // ── Jasmin ───────────────────────────────────────────────────────────────────────────────────────────────────

    @Test
    void jasminHttpMoIsAcknowledgedTheWayJasminExpectsAndDeduplicatedById() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        String text = "[TikTok] 542871 is your verification code, valid for 5 minutes. 🎵";
        String id = UUID.randomUUID().toString();
        for (int i = 0; i < 2; i++) {
            given().queryParam("token", gateway.token()).contentType("application/x-www-form-urlencoded")
                    .formParam("id", id).formParam("from", "TikTok").formParam("to", number.substring(1))
                    .formParam("origin-connector", "smppc01").formParam("priority", "0").formParam("coding", "8")
                    .formParam("validity", "").formParam("content", "ignored when binary is present")
                    .formParam("binary", HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_16BE)))
                    .post("/v1/ingest/jasmin").then().statusCode(200).body(equalTo("ACK/Jasmin"));
        }
        List<KafkaEvents.Received> published = events(number);
        assertEquals(1, published.size());
        assertEquals(text, published.get(0).data().get("body").asText());
        assertEquals("542871", published.get(0).data().get("code").asText());
        assertEquals("tiktok", published.get(0).data().get("detected_service").asText());
    }

    // ── Gammu SMSD RunOnReceive ──────────────────────────────────────────────────────────────────────────────────

    @Test
    void theGammuRunOnReceiveScriptPostsEachPartOfGammusInboxFileForTheServiceToReassemble() throws Exception {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        Path dir = Files.createTempDirectory("gammu");
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Path script = Path.of("..", "deploy", "gammu", "fetchsms-gammu-receive").toAbsolutePath().normalize();
        String first = "Your \"Chime\" verification code is 602 913.\\ Reply STOP to ";
        String second = "opt out.\n Msg&data rates may apply. \u2705";
        // the inbox file Gammu writes with InboxFormat = detail: every part with its header, texts as UCS-2 hex
        String file = "IN20261122_101500_00_+18005551234_00.txt";
        Files.writeString(inbox.resolve(file), "; comments in the service's locale are ignored\n"
                + section(0, "050003A70201", first) + section(1, "050003A70202", second), StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder(script.toString(), file).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("FETCHSMS_INGEST_URL", "http://127.0.0.1:" + port);
        env.put("FETCHSMS_GATEWAY_TOKEN", gateway.token());
        env.put("FETCHSMS_RECEIVING_NUMBER", number);
        env.put("FETCHSMS_GAMMU_INBOX", inbox.toString());
        env.put("FETCHSMS_SPOOL", dir.resolve("spool").toString());
        env.put("PHONE_ID", "modem-7");
        env.put("LANG", "C");
        assertEquals(0, run(builder));

        KafkaEvents.Received event = Fixtures.awaitEvent(number);
        assertEquals(first + second, event.data().get("body").asText());
        assertEquals("+18005551234", event.data().get("sender").asText());
        assertEquals(2, count("SELECT count(*) FROM raw_message WHERE to_number = ? AND adapter = 'native'"
                + " AND gateway_message_id LIKE 'gammu-modem-7-" + file + "-%'", number));
        try (var spooled = Files.list(dir.resolve("spool/new"))) {
            assertEquals(0, spooled.count(), "acknowledged parts leave the spool");
        }

        // a part whose sibling was lost: posted as a part, kept, never published as a whole
        String lonely = "IN20261122_101600_00_+18005551234_00.txt";
        Files.writeString(inbox.resolve(lonely), section(0, "050003A80201", "Your Chime verification code is 77"));
        builder.command(script.toString(), lonely);
        assertEquals(0, run(builder));
        assertEquals(1, count("SELECT count(*) FROM raw_message WHERE to_number = ? AND outcome = 'partial'"
                + " AND gateway_message_id LIKE 'gammu-modem-7-" + lonely + "-%'", number));
        assertEquals(1, events(number).size());
    }

    private static String section(int index, String udh, String text) {
        StringBuilder hex = new StringBuilder();
        for (char unit : text.toCharArray()) {
            hex.append(String.format("%04X", (int) unit));
        }
        return String.format("[SMSBackup%03d]\n", index) + "PDU = Deliver\nNumber = \"+18005551234\"\n"
                + "NumberUnicode = 002B00310038003000300035003500350031003200330034\nUDH = " + udh + "\nText00 = " + hex
                + "\nCoding = Unicode_No_Compression\n\n";
    }

    private static int run(ProcessBuilder builder) throws Exception {
        Process process = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        process.getInputStream().transferTo(output);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output.toString(StandardCharsets.UTF_8));
        return process.exitValue();
    }
}
