package com.fetchsms.rental;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.PurchaseCustomer;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** The purchase saga of a rental: refusals, idempotency, races for money and numbers, recovery, credentials. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class RentalPurchaseTest {

    /** The stub's pool of pristine numbers for long-term rentals. */
    private static final int LONG_POOL = 50;

    @Inject
    Pool pool;
    @ConfigProperty(name = "fetchsms.rate-limit.requests-per-second")
    int limit;

    @Test
    void refusalsAreTheDocumentedStatusesAndHoldNothing() {
        long heldBefore = Fixtures.heldNumbers();
        Fixtures poor = new Fixtures().withBalance(10);
        poor.rent(1, 1).then().statusCode(402)
                .body("detail", equalTo("Insufficient balance: 300 cents needed, 10 available"));
        poor.rent(4, 30).then().statusCode(404).body("detail", equalTo("Unknown service: 4"));
        poor.rent("whatsapp", 30).then().statusCode(404);
        poor.rent(1, 14).then().statusCode(422)
                .body("detail", equalTo("'days' must be one of 1, 7, 30, 90, 365 (14 days is not sold)"));
        assertEquals(10, poor.balance());
        assertEquals(heldBefore, Fixtures.heldNumbers(), "no number is held");
        assertEquals(0L, count("SELECT count(*) FROM rental WHERE account_id = $1 AND status <> 'failed'",
                poor.account));
        assertEquals(3L, count("SELECT count(*) FROM rental WHERE account_id = $1", poor.account),
                "422 is refused before anything is written");
        poor.as().get("/v1/rentals").then().statusCode(200).body("size()", equalTo(0));
        poor.as().get("/v1/rentals?tab=history").then().statusCode(200).body("size()", equalTo(0));
        String paymentRefused = poor.failedWith(402);
        assertEquals("released", Fixtures.stubText("/stub/reservation/" + paymentRefused));
        assertEquals("0", Fixtures.stubText("/stub/debits/" + paymentRefused));
    }

    @Test
    void malformedRequestsAreClientErrorsAndWriteNothing() {
        Fixtures customer = new Fixtures().withBalance(1000);
        post(customer, "{}").then().statusCode(400).body("detail", containsString("'service' is required"));
        post(customer, "{\"service\": 1}").then().statusCode(400).body("detail", containsString("'days' is required"));
        post(customer, "{\"service\": 1.5, \"days\": 30}").then().statusCode(400);
        post(customer, "{\"service\": 1, \"days\": \"30\"}").then().statusCode(400)
                .body("detail", containsString("'days' must be an integer"));
        post(customer, "{\"service\": 1, \"days\": 30.5}").then().statusCode(400);
        post(customer, "{\"service\": 1, \"days\": 0}").then().statusCode(422);
        post(customer, "{\"service\": 1, \"days\": 99999999999}").then().statusCode(422);
        post(customer, "{\"service\": 1, \"days\": 30, \"area_code\": \"41\"}").then().statusCode(422)
                .body("detail", containsString("area_code"));
        post(customer, "{\"service\": 1, \"days\": 30, \"area_code\": 415}").then().statusCode(400);
        post(customer, "{\"service\": ").then().statusCode(400).body("detail", equalTo("Malformed JSON body"));
        customer.rent(1, 30, null, "k".repeat(256)).then().statusCode(400);
        assertEquals(0L, count("SELECT count(*) FROM rental WHERE account_id = $1", customer.account));
        assertEquals(1000, customer.balance());
    }

    @Test
    void anIdempotencyKeyRetryChargesOnceAndAnswersTheSame() {
        Fixtures customer = new Fixtures().withBalance(1000);
        JsonPath replayed = customer.assertRetryWithOneKeyBuysOnce((c, key) -> c.rent(1, 7, "415", key),
                (c, key) -> c.rent(1, 30, "415", key));
        assertEquals(610, replayed.getInt("cost_cents"));
        assertEquals(7, replayed.getInt("duration_days"));
        assertEquals(390, customer.balance());
        assertEquals(1L, count("SELECT count(*) FROM rental WHERE account_id = $1", customer.account));

        Fixtures poor = new Fixtures().withBalance(0);
        poor.assertARefusalIsReplayedForItsKey((c, key) -> c.rent(1, 1, null, key), 1000);
        assertEquals(700, poor.balance());
    }

    @Test
    void twentyParallelRentalsWithMoneyForFiveMakeExactlyFiveAndLeakNothing() throws Exception {
        Fixtures customer = new Fixtures().withBalance(5 * 300);
        customer.assertARaceForMoneyPaysExactlyWhatTheBalanceAllows(20, 2, 5, (c, key) -> c.rent(1, 1));
        assertEquals(5L, count("""
                SELECT count(DISTINCT number) FROM rental
                WHERE account_id = $1 AND status IN ('waiting', 'expired')""", customer.account),
                "five rentals, each on its own number");
    }

    @Test
    void anExhaustedPoolOfPristineNumbersIs409AndHoldsNothing() {
        Fixtures customer = new Fixtures().withBalance(1_000_000);
        Fixtures canceller = customer.anotherSession();
        long free = LONG_POOL - Fixtures.heldNumbers();
        List<String> rented = new ArrayList<>();
        Set<String> numbers = new HashSet<>();
        for (int i = 0; i < free; i++) {
            var created = customer.rent(1, 365).then().statusCode(201).extract().jsonPath();
            rented.add(created.getString("id"));
            numbers.add(created.getString("number"));
            if (i % 20 == 19) {
                Fixtures.sleep(1000); // stay under the per-credential rate limit
            }
        }
        assertEquals(free, numbers.size(), "every rental holds its own number");
        long balance = customer.balance();

        customer.rent(1, 30, null, "no-stock").then().statusCode(409).body("detail", containsString("Out of stock"));
        assertEquals(balance, customer.balance(), "nothing charged");
        assertEquals(LONG_POOL, Fixtures.heldNumbers(), "nothing held");
        UUID refused = pool.preparedQuery("SELECT id FROM rental WHERE idempotency_key = 'no-stock'").execute()
                .await().indefinitely().iterator().next().getUUID(0);
        assertEquals("none", Fixtures.stubText("/stub/reservation/" + refused));
        customer.rent(1, 30, null, "no-stock").then().statusCode(409);

        // give the numbers back as catalog-service does on rental.cancelled, for the other tests
        for (int i = 0; i < rented.size(); i++) {
            canceller.as().post("/v1/rentals/" + rented.get(i) + "/cancel").then().statusCode(200);
            Fixtures.releaseAtCatalog(rented.get(i));
            if (i % 20 == 19) {
                Fixtures.sleep(1000);
            }
        }
        assertEquals(LONG_POOL - free, Fixtures.heldNumbers());
    }

    @Test
    void anEmptyOrMalformedIdempotencyKeyIs400AndRentsNothing() {
        Fixtures customer = new Fixtures().withBalance(2000);
        long held = Fixtures.heldNumbers();
        customer.assertMalformedIdempotencyKeysBuyNothing((c, key) -> c.rent(1, 30, null, key));
        assertEquals(held, Fixtures.heldNumbers(), "no number is held");
    }

    @Test
    void aPurchaseInterruptedAfterItsDebitIsFinishedByRecovery() {
        Fixtures customer = new Fixtures().withBalance(2000);
        String id = customer.assertAPurchaseInterruptedAfterItsDebitIsFinishedByRecovery(
                (c, key) -> c.rent(1, 30, null, key), 800, Duration.ofSeconds(60));
        assertEquals(30, customer.rental(id).getInt("duration_days"));
    }

    @Test
    void aPurchaseLeftPendingByACrashBeforeAnyCallIsFinishedByRecovery() {
        new Fixtures().withBalance(10_000).assertAPurchaseLeftPendingByACrashIsFinishedByRecovery("r_crash1", "1", 1000,
                Duration.ofSeconds(60), "days", 365).body("cost_cents", equalTo(9000))
                .body("duration_days", equalTo(365));
    }

    @Test
    void anApiKeyRentsLikeASessionAndIsRefusedOnceRevoked() {
        Fixtures customer = new Fixtures().withBalance(1200);
        PurchaseCustomer.ApiKey key = customer.activeApiKey(Duration.ofSeconds(20));
        String id = key.as().contentType(ContentType.JSON).body("{\"service\": 1, \"days\": 30}").post("/v1/rentals")
                .then().statusCode(201).body("cost_cents", equalTo(1200)).extract().path("id");
        customer.get(id).statusCode(200).body("duration_days", equalTo(30));
        key.as().get("/v1/rentals/" + id + "/messages").then().statusCode(200);
        assertEquals(0, customer.balance());
        customer.assertRevokedKeyIsRefused(key, id, Duration.ofSeconds(20));
    }

    @Test
    void aBurstAboveTheLimitFromOneCredentialIsRefusedWith429() throws Exception {
        new Fixtures().assertABurstAboveTheLimitIsRefused(limit);
    }
    private static io.restassured.response.Response post(Fixtures customer, String json) {
        return customer.as().contentType(ContentType.JSON).body(json).post("/v1/rentals");
    }

    private long count(String sql, Object arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().indefinitely().iterator().next().getLong(0);
    }
}
