package com.fetchsms.verification;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.PurchaseCustomer;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The SMS-Activate compatible API ({@code /stubs/handler_api.php}, issue 15): the protocol's words and documents over
 * the same verifications, wallet and rate limit as the REST API. Stub catalog: {@code tg} Telegram 70 cents,
 * {@code wa} WhatsApp 140, {@code lf} TikTok out of stock, {@code full} the rental product.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class SmsActivateTest {

    private static final String API = "/stubs/handler_api.php";
    private static final Duration KEY_VISIBLE = Duration.ofSeconds(10);

    private static String call(String key, Object... parameters) {
        return request(key, parameters).then().statusCode(200).extract().asString();
    }

    private static Response request(String key, Object... parameters) {
        var spec = given();
        if (key != null) {
            spec = spec.queryParam("api_key", key);
        }
        for (int i = 0; i < parameters.length; i += 2) {
            spec = spec.queryParam((String) parameters[i], parameters[i + 1]);
        }
        return spec.when().get(API);
    }

    private static String[] buy(String key, String service) {
        String answer = call(key, "action", "getNumber", "service", service, "country", 187);
        assertTrue(answer.matches("ACCESS_NUMBER:\\d+:1\\d{10}"), answer);
        return answer.split(":");
    }

    /** The REST view of the verification an activation id names. */
    private static JsonPath rest(Fixtures customer, String activationId) {
        String id = PurchaseCustomer.value("SELECT id::text FROM verification WHERE activation_id = ?",
                Long.parseLong(activationId));
        return customer.get(id).statusCode(200).extract().jsonPath();
    }

    @Test
    void aNumberBoughtWithTheProtocolIsAVerificationPaidFromTheSameWalletAndItsCodeIsStatusOk() {
        Fixtures customer = new Fixtures().withBalance(1000);
        String key = customer.activeApiKey(KEY_VISIBLE).secret();

        assertEquals("ACCESS_BALANCE:10.00", call(key, "action", "getBalance"));
        String[] bought = buy(key, "tg");
        JsonPath verification = rest(customer, bought[1]);
        assertEquals("telegram", verification.getString("service"));
        assertEquals("waiting", verification.getString("status"));
        assertEquals(70, verification.getInt("cost_cents"));
        assertEquals("1" + verification.getString("number").replaceAll("\\D", ""), bought[2]);
        assertEquals("ACCESS_BALANCE:9.30", call(key, "action", "getBalance"));
        assertEquals(930, customer.balance());

        assertEquals("STATUS_WAIT_CODE", call(key, "action", "getStatus", "id", bought[1]));
        assertEquals("ACCESS_READY", call(key, "action", "setStatus", "id", bought[1], "status", 1));
        assertEquals("BAD_STATUS",
                call(key, "action", "setStatus", "id", bought[1], "status", 6), "done before a code");

        Fixtures.sms(verification.getString("number"), "telegram", "48213", Instant.now());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> call(key, "action", "getStatus", "id", bought[1]).equals("STATUS_OK:48213"));
        JsonPath v2 = JsonPath.from(call(key, "action", "getStatusV2", "id", bought[1]));
        assertEquals("48213", v2.getString("sms.code"));
        assertNull(v2.getString("sms.text"), "a verification's SMS body is never shown");

        // another code: the next SMS for the number and service is the new code, charged once
        assertEquals("ACCESS_RETRY_GET", call(key, "action", "setStatus", "id", bought[1], "status", 3));
        assertEquals("STATUS_WAIT_RETRY:48213", call(key, "action", "getStatus", "id", bought[1]));
        Fixtures.sms(verification.getString("number"), "telegram", "77120", Instant.now().plusSeconds(1));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> call(key, "action", "getStatus", "id", bought[1]).equals("STATUS_OK:77120"));
        assertEquals(java.util.List.of("48213", "77120"), rest(customer, bought[1]).getList("codes.code"));

        assertEquals("ACCESS_ACTIVATION", call(key, "action", "setStatus", "id", bought[1], "status", 6));
        assertEquals("BAD_STATUS", call(key, "action", "setStatus", "id", bought[1], "status", 8),
                "no cancel once the code arrived");
        assertEquals("received", rest(customer, bought[1]).getString("status"));
        assertEquals(930, customer.balance());
    }

    @Test
    void cancellingAnActivationRefundsItThroughTheSameEventAsARestCancel() {
        Fixtures customer = new Fixtures().withBalance(1000);
        String key = customer.activeApiKey(KEY_VISIBLE).secret();
        String[] bought = buy(key, "wa");
        assertEquals(860, customer.balance());

        assertEquals("ACCESS_CANCEL", call(key, "action", "setStatus", "id", bought[1], "status", 8));
        assertEquals("ACCESS_CANCEL", call(key, "action", "setStatus", "id", bought[1], "status", 8),
                "cancelling twice answers the cancel again");
        assertEquals("STATUS_CANCEL", call(key, "action", "getStatus", "id", bought[1]));
        assertEquals("STATUS_CANCEL", call(key, "action", "getStatusV2", "id", bought[1]));
        assertEquals("cancelled", rest(customer, bought[1]).getString("status"));
        String id = PurchaseCustomer.value("SELECT id::text FROM verification WHERE activation_id = ?",
                Long.parseLong(bought[1]));
        assertEquals(1, PurchaseCustomer.publishedOfKey("verification.cancelled", id, Duration.ofSeconds(10)).size(),
                "one cancelled event: the wallet refunds it and catalog takes the number back, as for any cancel");
    }

    @Test
    void getNumberV2AnswersTheActivationAsJsonAndItIsListedAsActive() {
        Fixtures customer = new Fixtures().withBalance(1000);
        String key = customer.activeApiKey(KEY_VISIBLE).secret();
        assertEquals("{\"status\":\"error\",\"error\":\"NO_ACTIVATIONS\"}",
                call(key, "action", "getActiveActivations"));

        Response response = request(key, "action", "getNumberV2", "service", "tg", "country", 187);
        response.then().statusCode(200).contentType(ContentType.JSON);
        JsonPath bought = response.jsonPath();
        long activationId = bought.getLong("activationId");
        assertTrue(bought.getString("phoneNumber").matches("1\\d{10}"));
        assertEquals(0.70f, bought.getFloat("activationCost"));
        assertEquals("USD", bought.getString("currency"));
        assertEquals("187", bought.getString("countryCode"));
        assertTrue(bought.getString("activationTime").matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"));

        JsonPath active = JsonPath.from(call(key, "action", "getActiveActivations"));
        assertEquals("success", active.getString("status"));
        assertEquals(activationId, active.getLong("activeActivations[0].activationId"));
        assertEquals("tg", active.getString("activeActivations[0].serviceCode"));
        assertEquals("STATUS_WAIT_CODE", active.getString("activeActivations[0].activationStatus"));
        assertEquals(bought.getString("phoneNumber"), active.getString("activeActivations[0].phoneNumber"));
    }

    @Test
    void pricesAndStockAreCatalogsPerProtocolCodeForTheCountrySold() {
        Fixtures customer = new Fixtures().withBalance(1000);
        String key = customer.activeApiKey(KEY_VISIBLE).secret();

        JsonPath prices = JsonPath.from(call(key, "action", "getPrices"));
        assertEquals(0.70f, prices.getFloat("'187'.tg.cost"));
        assertEquals(1.40f, prices.getFloat("'187'.wa.cost"));
        assertEquals(0, prices.getInt("'187'.lf.count"));
        assertNull(prices.get("'187'.full"), "the rental product is not an activation");
        assertEquals(Map.of("tg", Map.of("cost", 0.7f, "count", prices.getInt("'187'.tg.count"))),
                JsonPath.from(call(key, "action", "getPrices", "service", "tg", "country", 187)).getMap("'187'"));
        assertEquals("{}", call(key, "action", "getPrices", "country", 0), "no numbers of another country");

        JsonPath counts = JsonPath.from(call(key, "action", "getNumbersStatus", "country", 187));
        assertEquals("0", counts.getString("lf_0"));
        assertTrue(Integer.parseInt(counts.getString("tg_0")) > 0);
    }

    @Test
    void refusalsAreTheProtocolsWordsAndBuyNothing() {
        Fixtures customer = new Fixtures().withBalance(100);
        String key = customer.activeApiKey(KEY_VISIBLE).secret();

        assertEquals("BAD_KEY", call(null, "action", "getBalance"));
        assertEquals("BAD_KEY", call("fsk_live_not_a_key_at_all_000000000000", "action", "getBalance"));
        assertEquals("BAD_KEY", call("nonsense", "action", "getNumber", "service", "tg"));
        assertEquals("BAD_ACTION", call(key));
        assertEquals("BAD_ACTION", call(key, "action", "getEverything"));
        assertEquals("BAD_SERVICE", call(key, "action", "getNumber", "service", "zz", "country", 187));
        assertEquals("BAD_SERVICE", call(key, "action", "getNumber", "country", 187));
        assertEquals("BAD_SERVICE", call(key, "action", "getNumber", "service", "full"), "rentals are not activations");
        assertEquals("NO_NUMBERS", call(key, "action", "getNumber", "service", "tg", "country", 0));
        assertEquals("NO_NUMBERS", call(key, "action", "getNumber", "service", "lf", "country", 187));
        assertEquals("NO_BALANCE", call(key, "action", "getNumber", "service", "wa", "country", 187));
        assertEquals("WRONG_MAX_PRICE:0.70", call(key, "action", "getNumber", "service", "tg", "maxPrice", "0.69"));
        assertEquals("WRONG_MAX_PRICE:0.70", call(key, "action", "getNumber", "service", "tg", "maxPrice", "cheap"));
        assertEquals("NO_ACTIVATION", call(key, "action", "getStatus", "id", "12345678901"));
        assertEquals("NO_ACTIVATION", call(key, "action", "getStatus", "id", "abc"));
        assertEquals("NO_ACTIVATION", call(key, "action", "setStatus", "status", 8));
        customer.assertOwnsNothing(100);

        String[] bought = buy(key, "tg");
        assertEquals("BAD_STATUS", call(key, "action", "setStatus", "id", bought[1], "status", 4));
        assertEquals("BAD_STATUS", call(key, "action", "setStatus", "id", bought[1], "status", 3),
                "another code only once the first arrived");
        assertEquals("BAD_STATUS", call(key, "action", "setStatus", "id", bought[1]));
        Fixtures other = new Fixtures().withBalance(100);
        String otherKey = other.activeApiKey(KEY_VISIBLE).secret();
        assertEquals("NO_ACTIVATION", call(otherKey, "action", "getStatus", "id", bought[1]),
                "another account's activation does not exist for it");
        assertEquals("NO_ACTIVATION", call(otherKey, "action", "setStatus", "id", bought[1], "status", 8));
        assertEquals("STATUS_WAIT_CODE", call(key, "action", "getStatus", "id", bought[1]));
        customer.withBalance(1000);
        assertEquals("ACCESS_NUMBER:", call(key, "action", "getNumber", "service", "tg", "maxPrice", "0.70")
                .substring(0, 14), "a cap at the price buys");
    }

    @Test
    void aFormPostWorksLikeAGetAndHostileParametersReadAsAbsent() {
        Fixtures customer = new Fixtures().withBalance(500);
        String key = customer.activeApiKey(KEY_VISIBLE).secret();
        given().contentType(ContentType.URLENC).formParam("api_key", key).formParam("action", "getBalance")
                .when().post(API).then().statusCode(200).body(equalTo("ACCESS_BALANCE:5.00"));
        given().queryParam("api_key", key).queryParam("action", "getBalance").when().post(API).then()
                .statusCode(200).body(equalTo("ACCESS_BALANCE:5.00"));
        given().contentType(ContentType.URLENC).queryParam("api_key", key).formParam("action", "getNumber")
                .formParam("service", "tg").when().post(API).then().statusCode(200)
                .body(startsWith("ACCESS_NUMBER:"));
        given().urlEncodingEnabled(false).when().get(API + "?api_key=" + key + "&action=getBalance%00").then()
                .statusCode(200).body(equalTo("BAD_ACTION"));
        given().urlEncodingEnabled(false).when()
                .get(API + "?api_key=" + key + "&action=getNumber&service=%ED%A0%80").then()
                .statusCode(200).body(equalTo("BAD_SERVICE"));
    }

    @Test
    void theProtocolSharesTheKeysRateLimitWithItsRestRequests() throws Exception {
        Fixtures customer = new Fixtures().withBalance(100);
        PurchaseCustomer.ApiKey key = customer.activeApiKey(KEY_VISIBLE);
        // REST requests from 16 clients use up the key's limit (50/s in tests) and keep it used up; then a few protocol
        // requests, fewer than one second's allowance: a bucket of their own would let every one through
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch restLimited = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            for (int c = 0; c < 16; c++) {
                clients.submit(() -> {
                    while (!stop.get()) {
                        if (key.as().get("/v1/verifications/" + java.util.UUID.randomUUID()).statusCode() == 429) {
                            restLimited.countDown();
                        }
                    }
                });
            }
            assertTrue(restLimited.await(30, TimeUnit.SECONDS), "the REST requests meet the key's limit");
            int limited = 0;
            for (int i = 0; i < 20; i++) {
                Response response = request(key.secret(), "action", "getStatus", "id", "1");
                if (response.statusCode() == 429) {
                    limited++;
                    assertTrue(Integer.parseInt(response.header("Retry-After")) >= 1);
                }
            }
            assertTrue(limited > 0,
                    "the protocol's requests are counted in the same bucket as the key's REST requests");
        } finally {
            stop.set(true);
            clients.shutdown();
            clients.awaitTermination(30, TimeUnit.SECONDS);
        }
    }
}
