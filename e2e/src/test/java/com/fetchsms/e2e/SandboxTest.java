package com.fetchsms.e2e;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The sandbox through the gateway against the real stack: a developer's test key ({@code fsk_test_…}) buys a sandbox
 * number with test money, delivers a simulated SMS to it and gets the code, the way their integration will in
 * production, without a modem, and its webhook endpoint gets the signed code; and nothing of it reaches the live
 * account, its wallet, its purchases or its webhook endpoints.
 */
@Order(37)
class SandboxTest extends E2eTest {

    /** Sandbox numbers: the sandbox's area codes, lines 555-0100 to 555-0199 (catalog-service's settings). */
    private static final String SANDBOX_NUMBER = "\\+1(201|305|512)55501\\d\\d";

    static Customer developer;
    static String testKey;

    @BeforeAll
    static void signUp() {
        developer = world().newCustomer("sandbox", 500);
        testKey = developer.withSession().body(Map.of("name", "ci pipeline", "mode", "test")).post("/api-keys").then()
                .statusCode(201).body("mode", equalTo("test")).body("key", startsWith("fsk_test_")).extract()
                .path("key");
    }

    @Test
    void aTestKeyBuysASandboxNumberAndItsSimulatedSmsReleasesTheCodeWithTestMoneyOnly() {
        long liveBefore = developer.balance();
        long sandboxBefore = sandboxBalance();

        JsonPath bought = World.as(testKey).body(Map.of("service", "telegram")).post("/verifications").then()
                .statusCode(201).body("sandbox", equalTo(true)).body("status", equalTo("waiting")).extract()
                .jsonPath();
        String id = bought.getString("id");
        String number = World.e164(bought.getString("number"));
        assertTrue(number.matches(SANDBOX_NUMBER), "a sandbox number: " + number);
        long cost = bought.getLong("cost_cents");

        String code = code(6);
        World.as(testKey).body(Map.of("to", bought.getString("number"), "from", "Telegram", "text",
                "Telegram code: " + code
                        + ". Do not give this code to anyone, even if they say they are from Telegram!"))
                .post("/sandbox/sms").then().statusCode(202).body("detected_service", equalTo("telegram"))
                .body("code", equalTo(code));

        JsonPath received = Poll.until("the sandbox verification to receive its code", ASYNC,
                () -> World.as(testKey).queryParam("wait", 10).get("/verifications/{id}", id),
                r -> r.statusCode() == 200 && "received".equals(r.jsonPath().getString("status"))).jsonPath();
        assertEquals(code, received.getString("code"));
        assertTrue(received.getBoolean("sandbox"));

        assertEquals(sandboxBefore - cost, sandboxBalance(), "charged in test money");
        assertEquals(liveBefore, developer.balance(), "the live wallet is untouched");
        assertFalse(developer.ledger().stream().anyMatch(i -> bought.getString("ref").equals(i.ref())),
                "the live ledger knows nothing of the sandbox purchase");
        // the SMS-Activate protocol with the same test key sees the same sandbox wallet
        String balance = World.anonymous().basePath("").queryParam("api_key", testKey)
                .queryParam("action", "getBalance").get("/stubs/handler_api.php").then().statusCode(200).extract()
                .asString();
        assertEquals(String.format("ACCESS_BALANCE:%d.%02d", sandboxBalance() / 100, sandboxBalance() % 100), balance);
    }

    @Test
    void sandboxAndLiveDataNeverMix() {
        String sandboxId = World.as(testKey).body(Map.of("service", "yahoo")).post("/verifications").then()
                .statusCode(201).body("sandbox", equalTo(true)).extract().path("id");
        JsonPath live = developer.withKey().body(Map.of("service", "yahoo")).post("/verifications").then()
                .statusCode(201).body("sandbox", equalTo(false)).extract().jsonPath();
        assertFalse(World.e164(live.getString("number")).matches(SANDBOX_NUMBER), "a live purchase gets a live number");

        // each key sees only its own world
        developer.withKey().get("/verifications/{id}", sandboxId).then().statusCode(404);
        World.as(testKey).get("/verifications/{id}", live.getString("id")).then().statusCode(404);
        List<String> liveIds = developer.withKey().queryParam("limit", 200).get("/verifications").then().statusCode(200)
                .extract().jsonPath().getList("id");
        assertFalse(liveIds.contains(sandboxId), "the live list has no sandbox purchase");

        // a simulated SMS never reaches a live number, and a live key cannot simulate one
        Response toLive = World.as(testKey).body(Map.of("to", live.getString("number"), "text", "Yahoo code 424242"))
                .post("/sandbox/sms");
        toLive.then().statusCode(422).body("detail", containsString("to"));
        developer.withKey().body(Map.of("to", "+12015550100", "text", "code 123456")).post("/sandbox/sms").then()
                .statusCode(403).body("detail", containsString("fsk_test_"));
        developer.withKey().get("/verifications/{id}", live.getString("id")).then().statusCode(200)
                .body("status", equalTo("waiting")).body("code", equalTo(null));

        World.as(testKey).post("/verifications/{id}/cancel", sandboxId).then().statusCode(200);
        developer.withKey().post("/verifications/{id}/cancel", live.getString("id")).then().statusCode(200);
        // the live refund is booked a moment later: settled before another test reads the live balance
        awaitRefund(developer, live.getString("ref"));
    }

    @Test
    void testMoneyIsToppedUpAtOnceUpToTheCap() {
        long before = sandboxBalance();
        World.as(testKey).body(Map.of("amount_cents", 5000)).post("/sandbox/wallet/top-up").then().statusCode(201)
                .body("amount_cents", equalTo(5000));
        assertEquals(before + 5000, sandboxBalance());
        World.as(testKey).body(Map.of("amount_cents", 100_001)).post("/sandbox/wallet/top-up").then().statusCode(422)
                .body("detail", containsString("amount_cents"));
        developer.withKey().get("/sandbox/wallet").then().statusCode(403);
        assertEquals(before + 5000, sandboxBalance(), "a refused top-up changes nothing");
    }

    @Test
    void aTestKeysWebhookEndpointGetsTheSandboxsSignedCodeAndTheLiveEndpointsNothing() {
        WebhookReceiver liveHooks = webhookReceiver();
        WebhookReceiver sandboxHooks = webhookReceiver();
        String liveWebhook = developer.withSession().body(Map.of("url", liveHooks.url())).post("/webhooks").then()
                .statusCode(201).extract().path("id");
        // the test key registers the sandbox's own endpoint, apart from the live account's
        JsonPath endpoint = World.as(testKey).body(Map.of("url", sandboxHooks.url())).post("/webhooks").then()
                .statusCode(201).body("secret", startsWith("whsec_"))
                .body("events", equalTo(List.of("sms.received", "rental.expired"))).extract().jsonPath();
        String sandboxWebhook = endpoint.getString("id");
        String secret = endpoint.getString("secret");
        World.as(testKey).get("/webhooks").then().statusCode(200).body("id", equalTo(List.of(sandboxWebhook)));
        developer.withSession().get("/webhooks").then().statusCode(200).body("id", equalTo(List.of(liveWebhook)));
        assertError(developer.withSession().get("/webhooks/{id}/deliveries", sandboxWebhook), 404);
        assertError(World.as(testKey).delete("/webhooks/{id}", liveWebhook), 404);
        // a live key manages neither
        assertTrue(assertError(developer.withKey().get("/webhooks"), 403).contains("fsk_test_"));
        assertError(developer.withKey().body(Map.of("url", liveHooks.url())).post("/webhooks"), 403);

        JsonPath bought = World.as(testKey).body(Map.of("service", "telegram")).post("/verifications").then()
                .statusCode(201).body("sandbox", equalTo(true)).extract().jsonPath();
        String id = bought.getString("id");
        String code = code(6);
        World.as(testKey).body(Map.of("to", bought.getString("number"), "from", "Telegram", "text",
                "Telegram code: " + code + ". Do not give this code to anyone!")).post("/sandbox/sms").then()
                .statusCode(202).body("code", equalTo(code));

        WebhookReceiver.Delivery delivery = sandboxHooks.await("sms.received of sandbox verification " + id, ASYNC,
                d -> "sms.received".equals(d.event()) && d.body().contains(id));
        assertTrue(delivery.signedWith(secret), "X-FetchSMS-Signature = hex HMAC-SHA256(raw body, the secret)");
        assertFalse(delivery.signedWith("whsec_someone-else"));
        JsonPath event = delivery.json();
        assertEquals(id, event.getString("data.verification_id"));
        assertEquals(bought.getString("ref"), event.getString("data.ref"));
        assertEquals(bought.getString("number"), event.getString("data.number"));
        assertEquals(code, event.getString("data.code"));

        // an event's deliveries are queued together, in the transaction that applies it: the sandbox's has arrived,
        // so the live endpoint has none queued of it; the live endpoint's own ping, sent later, is all it ever gets
        developer.withSession().get("/webhooks/{id}/deliveries", liveWebhook).then().statusCode(200)
                .body("size()", equalTo(0));
        developer.withSession().post("/webhooks/{id}/test", liveWebhook).then().statusCode(202);
        liveHooks.await("the live endpoint's ping", ASYNC, d -> "ping".equals(d.event()));
        assertEquals(List.of("ping"), liveHooks.deliveries().stream().map(WebhookReceiver.Delivery::event).toList());
        assertFalse(liveHooks.deliveries().get(0).body().contains(code));

        // the test key's ping and delivery log, through the gateway as the session's
        World.as(testKey).post("/webhooks/{id}/test", sandboxWebhook).then().statusCode(202);
        assertTrue(sandboxHooks.await("the sandbox endpoint's ping", ASYNC, d -> "ping".equals(d.event()))
                .signedWith(secret));
        Poll.until("the sandbox endpoint's deliveries listed as delivered", ASYNC,
                () -> World.as(testKey).get("/webhooks/{id}/deliveries", sandboxWebhook),
                r -> r.statusCode() == 200 && r.jsonPath().<String>getList("findAll { it.status == 'delivered' }.event")
                        .containsAll(List.of("sms.received", "ping")));
    }

    private static long sandboxBalance() {
        return World.as(testKey).get("/sandbox/wallet").then().statusCode(200).extract().jsonPath()
                .getLong("balance_cents");
    }
}
