package com.fetchsms.verification;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.ApiKeyChanged;
import com.fetchsms.common.security.ApiKeys;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.RateLimitProbe;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class PurchaseSagaTest {

    @Inject
    Pool pool;
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
        assertEquals(0L, count("""
                SELECT count(*) FROM verification WHERE account_id = $1 AND status <> 'failed'""", poor.account));
        poor.as().get("/v1/verifications").then().statusCode(200).body("size()", equalTo(0));
        String failed = pool.preparedQuery("SELECT id FROM verification WHERE account_id = $1 AND failure_status = 402")
                .execute(Tuple.of(poor.account)).await().indefinitely().iterator().next().getUUID(0).toString();
        assertEquals("released", Fixtures.stubText("/stub/reservation/" + failed));
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
        assertEquals(0L, count("SELECT count(*) FROM verification WHERE account_id = $1", customer.account));
        assertEquals(1000, customer.balance());
    }

    @Test
    void anEmptyOrMalformedIdempotencyKeyIs400AndBuysNothing() {
        Fixtures customer = new Fixtures().withBalance(1000);
        for (String bad : List.of("", "   ", "has space", "x".repeat(256), "caf\u00e9")) {
            customer.create(4, null, bad).then().statusCode(400).body("detail",
                    equalTo("Idempotency-Key must be 1 to 255 printable ASCII characters without spaces"));
        }
        customer.as().get("/v1/verifications").then().statusCode(200).body("size()", equalTo(0));
        assertEquals(1000, customer.balance());
    }

    @Test
    void anIdempotencyKeyRetryChargesOnceAndAnswersTheSame() {
        Fixtures customer = new Fixtures().withBalance(1000);
        String key = UUID.randomUUID().toString();
        String first = customer.create(4, null, key).then().statusCode(201).extract().path("id");
        customer.create(4, null, key).then().statusCode(201).body("id", equalTo(first));
        customer.create("telegram", null, key).then().statusCode(422)
                .body("detail", equalTo("This Idempotency-Key was already used with a different request"));
        assertEquals(930, customer.balance());
        assertEquals("1", Fixtures.stubText("/stub/debits/" + first));

        Fixtures poor = new Fixtures().withBalance(0);
        poor.create(4, null, "k-402").then().statusCode(402);
        poor.withBalance(1000);
        poor.create(4, null, "k-402").then().statusCode(402); // a replay answers what the first call answered
        poor.create(4, null, "k-new").then().statusCode(201);
    }

    @Test
    void aHundredParallelPurchasesWithMoneyForTwentyChargeTwentyAndLeakNothing() throws Exception {
        Fixtures customer = new Fixtures().withBalance(20 * 70);
        long heldBefore = Long.parseLong(Fixtures.stubText("/stub/active-reservations"));
        List<Callable<Integer>> calls = new ArrayList<>();
        List<Fixtures> sessions = List.of(customer, customer.anotherSession(), customer.anotherSession(),
                customer.anotherSession());
        for (int i = 0; i < 100; i++) {
            Fixtures session = sessions.get(i % sessions.size());
            calls.add(() -> {
                // the account's sessions share one rate-limit bucket: a refused (429) request bought nothing, retry
                int status;
                while ((status = session.create(4).statusCode()) == 429) {
                    VerificationLifecycleTest.sleep(50);
                }
                return status;
            });
        }
        ExecutorService executor = Executors.newFixedThreadPool(100);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> f : executor.invokeAll(calls)) {
                statuses.add(f.get());
            }
        } finally {
            executor.shutdownNow();
        }
        assertEquals(20, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(80, statuses.stream().filter(s -> s == 402).count(), statuses.toString());
        assertEquals(0, customer.balance());
        assertEquals(heldBefore + 20, Long.parseLong(Fixtures.stubText("/stub/active-reservations")),
                "only the paid purchases hold a number");
        // paid and holding a number (a slow machine may already have expired some: the test window is 8 s)
        assertEquals(20L, count("SELECT count(*) FROM verification WHERE account_id = $1 AND status <> 'failed'",
                customer.account));
        assertEquals(80L, count("SELECT count(*) FROM verification WHERE account_id = $1 AND status = 'failed'",
                customer.account));
    }

    @Test
    void aPurchaseInterruptedAfterItsDebitIsFinishedByRecovery() {
        Fixtures customer = new Fixtures().withBalance(1000);
        given().put(Fixtures.stub() + "/stub/hang-after-debit/" + customer.account).then().statusCode(200);
        customer.create(4, null, "crash-1").then().statusCode(503).body("detail", containsString("Idempotency-Key"));
        assertEquals(930, customer.balance(), "the wallet did debit");

        String id = pool.preparedQuery("SELECT id FROM verification WHERE account_id = $1")
                .execute(Tuple.of(customer.account)).await().indefinitely().iterator().next().getUUID(0).toString();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> customer.create(4, null, "crash-1").statusCode() == 201);
        customer.create(4, null, "crash-1").then().statusCode(201).body("id", equalTo(id))
                .body("status", equalTo("waiting")).body("number", notNullValue());
        assertEquals(930, customer.balance(), "recovery found the debit instead of charging again");
        assertEquals("1", Fixtures.stubText("/stub/debits/" + id));
    }

    @Test
    void aPurchaseLeftPendingByACrashBeforeAnyCallIsFinishedByRecovery() {
        Fixtures customer = new Fixtures().withBalance(1000);
        UUID id = UUID.randomUUID();
        pool.preparedQuery("""
                INSERT INTO verification (id, ref, account_id, service_ref, status, request_hash, created_at)
                VALUES ($1, 'v_crash1', $2, '4', 'pending', 'x', now() - interval '1 minute')""")
                .execute(Tuple.of(id, customer.account)).await().indefinitely();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> pool.preparedQuery("SELECT status FROM verification WHERE id = $1").execute(Tuple.of(id))
                        .await().indefinitely().iterator().next().getString(0), "waiting"::equals);
        customer.as().get("/v1/verifications/" + id).then().statusCode(200).body("status", equalTo("waiting"))
                .body("cost_cents", equalTo(70));
        assertEquals(930, customer.balance());
    }

    @Test
    void anApiKeyBuysLikeASessionAndIsRefusedOnceRevoked() {
        Fixtures customer = new Fixtures().withBalance(1000);
        String key = ApiKeys.generate();
        UUID keyId = UUID.randomUUID();
        KafkaEvents.send(new ApiKeyChanged(ApiKeys.hash(key), keyId, customer.account, ApiKeys.shownPrefix(key),
                ApiKeyChanged.ACTIVE, Instant.now()));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> given().auth().oauth2(key).get("/v1/verifications").statusCode() == 200);
        String id = given().auth().oauth2(key).contentType(ContentType.JSON).body("{\"service\": 4}")
                .post("/v1/verifications").then().statusCode(201).extract().path("id");
        customer.as().get("/v1/verifications/" + id).then().statusCode(200);

        KafkaEvents.send(new ApiKeyChanged(ApiKeys.hash(key), keyId, customer.account, ApiKeys.shownPrefix(key),
                ApiKeyChanged.REVOKED, Instant.now()));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> given().auth().oauth2(key).get("/v1/verifications/" + id).statusCode() == 401);
    }

    @Test
    void aBurstAboveTheLimitFromOneCredentialIsRefusedWith429() throws Exception {
        Fixtures customer = new Fixtures();
        // an unknown id is answered 404 without touching the database: the bursts measure the limiter
        RateLimitProbe.burst(
                URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/v1/verifications/not-a-verification"),
                customer.token, 404, limit);
        new Fixtures().as().get("/v1/verifications").then().statusCode(200); // another credential is not limited
    }

    @Test
    void theLimitIsTheAccountsWhateverSessionOrOtherHeadersARequestCarries() throws Exception {
        Fixtures customer = new Fixtures();
        List<Fixtures> sessions = List.of(customer, customer.anotherSession(), customer.anotherSession(),
                customer.anotherSession());
        URI uri = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/v1/verifications/not-a-verification");
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
        String key = ApiKeys.generate();
        KafkaEvents.send(new ApiKeyChanged(ApiKeys.hash(key), UUID.randomUUID(), customer.account,
                ApiKeys.shownPrefix(key), ApiKeyChanged.ACTIVE, Instant.now()));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> given().auth().oauth2(key).get("/v1/verifications").statusCode() == 200);
        VerificationLifecycleTest.sleep(1100); // the bucket is full again: the second must pass for the refill
        URI uri = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/v1/verifications/not-a-verification");
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
    private long count(String sql, Object arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().indefinitely().iterator().next().getLong(0);
    }
}
