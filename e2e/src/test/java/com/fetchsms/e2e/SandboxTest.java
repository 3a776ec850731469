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
 * production, without a modem; and nothing of it reaches the live account, its wallet or its purchases.
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

    private static long sandboxBalance() {
        return World.as(testKey).get("/sandbox/wallet").then().statusCode(200).extract().jsonPath()
                .getLong("balance_cents");
    }
}
