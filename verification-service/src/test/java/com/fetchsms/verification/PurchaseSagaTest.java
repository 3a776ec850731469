package com.fetchsms.verification;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.PurchaseCustomer;
import com.fetchsms.testkit.RateLimitProbe;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class PurchaseSagaTest {

    @ConfigProperty(name = "fetchsms.rate-limit.requests-per-second")
    int limit;

    @Test
    void refusalsAreTheDocumentedStatusesAndHoldNothing() {
        Fixtures poor = new Fixtures().withBalance(10);
        String detail = poor.create(4).then().statusCode(402).extract().path("detail");
        assertEquals("Insufficient balance: 70 cents needed, 10 available", detail);
        poor.create(999).then().statusCode(404).body("detail", equalTo("Unknown service: 999"));
        new Fixtures().withBalance(1000).create(7).then().statusCode(409).body("detail",
                containsString("Out of stock"));
        assertEquals(10, poor.balance());
        assertEquals(0L, poor.rows(" AND status <> 'failed'"));
        poor.as().get("/v1/verifications").then().statusCode(200).body("size()", equalTo(0));
        assertEquals("released", Fixtures.stubText("/stub/reservation/" + poor.failedWith(402)));
    }

    @Test
    void malformedRequestsAreClientErrorsAndWriteNothing() {
        Fixtures customer = new Fixtures().withBalance(1000);
        customer.as().contentType(ContentType.JSON).body("{}").post("/v1/verifications").then().statusCode(400)
                .body("detail", containsString("'service' is required"));
        customer.as().contentType(ContentType.JSON).body("{\"service\": 4.5}").post("/v1/verifications").then()
                .statusCode(400);
        customer.as().contentType(ContentType.JSON).body("{\"service\": 4, \"area_code\": \"33\"}")
                .post("/v1/verifications").then().statusCode(422).body("detail", containsString("area_code"));
        customer.as().contentType(ContentType.JSON).body("{\"service\": 4, \"area_code\": 332}")
                .post("/v1/verifications").then().statusCode(400);
        customer.as().contentType(ContentType.JSON).body("{\"service\": ").post("/v1/verifications").then()
                .statusCode(400).body("detail", equalTo("Malformed JSON body"));
        assertEquals(0L, customer.rows(""));
        assertEquals(1000, customer.balance());
    }

    @Test
    void anEmptyOrMalformedIdempotencyKeyIs400AndBuysNothing() {
        new Fixtures().withBalance(1000).assertMalformedIdempotencyKeysBuyNothing((c, key) -> c.create(4, null, key));
    }

    @Test
    void anIdempotencyKeyRetryChargesOnceAndAnswersTheSame() {
        Fixtures customer = new Fixtures().withBalance(1000);
        customer.assertRetryWithOneKeyBuysOnce((c, key) -> c.create(4, null, key),
                (c, key) -> c.create("telegram", null, key));
        assertEquals(930, customer.balance());

        Fixtures poor = new Fixtures().withBalance(0);
        poor.assertARefusalIsReplayedForItsKey((c, key) -> c.create(4, null, key), 1000);
        assertEquals(930, poor.balance());
    }

    @Test
    void aHundredParallelPurchasesWithMoneyForTwentyChargeTwentyAndLeakNothing() throws Exception {
        // the account's sessions share one rate-limit bucket: a refused (429) request bought nothing and is sent again
        new Fixtures().withBalance(20 * 70).assertARaceForMoneyPaysExactlyWhatTheBalanceAllows(100, 4, 20,
                (c, key) -> c.create(4));
    }

    @Test
    void aPurchaseInterruptedAfterItsDebitIsFinishedByRecovery() {
        new Fixtures().withBalance(1000).assertAPurchaseInterruptedAfterItsDebitIsFinishedByRecovery(
                (c, key) -> c.create(4, null, key), 930, Duration.ofSeconds(30));
    }

    @Test
    void aPurchaseLeftPendingByACrashBeforeAnyCallIsFinishedByRecovery() {
        new Fixtures().withBalance(1000)
                .assertAPurchaseLeftPendingByACrashIsFinishedByRecovery("v_crash1", "4", 930, Duration.ofSeconds(30))
                .body("service", equalTo("telegram")).body("cost_cents", equalTo(70));
    }

    @Test
    void anApiKeyBuysLikeASessionAndIsRefusedOnceRevoked() {
        Fixtures customer = new Fixtures().withBalance(1000);
        PurchaseCustomer.ApiKey key = customer.activeApiKey(Duration.ofSeconds(10));
        String id = key.as().contentType(ContentType.JSON).body("{\"service\": 4}").post("/v1/verifications").then()
                .statusCode(201).body("cost_cents", equalTo(70)).extract().path("id");
        customer.get(id).statusCode(200).body("status", equalTo("waiting"));
        assertEquals(930, customer.balance());
        customer.assertRevokedKeyIsRefused(key, id, Duration.ofSeconds(10));
    }

    @Test
    void aBurstAboveTheLimitFromOneCredentialIsRefusedWith429() throws Exception {
        new Fixtures().assertABurstAboveTheLimitIsRefused(limit);
    }

    @Test
    void theLimitIsTheAccountsWhateverSessionOrOtherHeadersARequestCarries() throws Exception {
        Fixtures customer = new Fixtures();
        List<Fixtures> sessions = List.of(customer, customer.anotherSession(), customer.anotherSession(),
                customer.anotherSession());
        URI uri = customer.unknownPurchase();
        RateLimitProbe.burst(i -> HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + sessions.get(i % 4).token)
                .header("X-Junk", UUID.randomUUID().toString())
                .header("Cookie", "session=" + i)
                .header("Proxy-Authorization", "Bearer junk-" + i).build(), 404, limit);
        new Fixtures().as().get("/v1/verifications").then().statusCode(200); // another account is not limited
    }

    @Test
    void anApiKeysLimitIsSharedWhateverOtherHeadersARequestCarries() throws Exception {
        Fixtures customer = new Fixtures();
        String key = customer.activeApiKey(Duration.ofSeconds(10)).secret();
        VerificationLifecycleTest.sleep(1100); // the bucket is full again: the second must pass for the refill
        URI uri = customer.unknownPurchase();
        RateLimitProbe.burst(i -> HttpRequest.newBuilder(uri)
                .header("Authorization", (i % 3 == 0 ? "Bearer " : i % 3 == 1 ? "BEARER " : "bearer ") + key)
                .header("X-Api-Key", "fsk_live_" + i)
                .header("X-Forwarded-For", "203.0.113." + (i % 250)).build(), 404, limit);
        customer.as().get("/v1/verifications").then().statusCode(200); // the account's session has its own bucket
    }

    @Test
    void aRequestWithTwoAuthorizationHeadersIs400() throws Exception {
        Fixtures customer = new Fixtures();
        // HTTP/1.1: an h2c upgrade request would reach the service with one of the two headers only
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/v1/verifications");
        for (List<String> values : List.of(List.of("Bearer " + customer.token, "Bearer junk"),
                List.of("Bearer junk", "Bearer " + customer.token),
                List.of("Bearer " + customer.token, "Bearer " + customer.token))) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri)
                    .header("Authorization", values.get(0)).header("Authorization", values.get(1)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, answer.statusCode(), answer.body());
            assertEquals("{\"detail\":\"A request may carry only one Authorization header\"}", answer.body());
        }
        customer.as().get("/v1/verifications").then().statusCode(200);
    }
}
