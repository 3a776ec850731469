package com.fetchsms.rental;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
        UUID paymentRefused = pool.preparedQuery("SELECT id FROM rental WHERE account_id = $1 AND failure_status = 402")
                .execute(Tuple.of(poor.account)).await().indefinitely().iterator().next().getUUID(0);
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
        String key = UUID.randomUUID().toString();
        String first = customer.rent(1, 7, "415", key).then().statusCode(201).extract().path("id");
        customer.rent(1, 7, "415", key).then().statusCode(201).body("id", equalTo(first))
                .body("cost_cents", equalTo(610));
        customer.rent(1, 30, "415", key).then().statusCode(422)
                .body("detail", equalTo("This Idempotency-Key was already used with a different request"));
        assertEquals(390, customer.balance());
        assertEquals("1", Fixtures.stubText("/stub/debits/" + first));
        assertEquals(1L, count("SELECT count(*) FROM rental WHERE account_id = $1", customer.account));

        Fixtures poor = new Fixtures().withBalance(0);
        poor.rent(1, 1, null, "k-402").then().statusCode(402);
        poor.withBalance(1000);
        poor.rent(1, 1, null, "k-402").then().statusCode(402); // a replay answers what the first call answered
        poor.rent(1, 1, null, "k-new").then().statusCode(201);
        assertEquals(700, poor.balance());
    }

    @Test
    void twentyParallelRentalsWithMoneyForFiveMakeExactlyFiveAndLeakNothing() throws Exception {
        Fixtures customer = new Fixtures().withBalance(5 * 300);
        long heldBefore = Fixtures.heldNumbers();
        List<Fixtures> sessions = List.of(customer, customer.anotherSession());
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Fixtures session = sessions.get(i % sessions.size());
            calls.add(() -> session.rent(1, 1).statusCode());
        }
        List<Integer> statuses = parallel(calls);
        assertEquals(5, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(15, statuses.stream().filter(s -> s == 402).count(), statuses.toString());
        assertEquals(0, customer.balance());
        assertEquals(heldBefore + 5, Fixtures.heldNumbers(), "only the paid rentals hold a number");
        assertEquals(5L, count("""
                SELECT count(DISTINCT number) FROM rental
                WHERE account_id = $1 AND status IN ('waiting', 'expired')""", customer.account),
                "five rentals, each on its own number");
        assertEquals(15L, count("SELECT count(*) FROM rental WHERE account_id = $1 AND status = 'failed'",
                customer.account));
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
        for (String bad : List.of("", "has space", "x".repeat(256))) {
            customer.rent(1, 30, null, bad).then().statusCode(400).body("detail",
                    equalTo("Idempotency-Key must be 1 to 255 printable ASCII characters without spaces"));
        }
        customer.as().get("/v1/rentals").then().statusCode(200).body("size()", equalTo(0));
        assertEquals(2000, customer.balance());
    }

    @Test
    void aPurchaseInterruptedAfterItsDebitIsFinishedByRecovery() {
        Fixtures customer = new Fixtures().withBalance(2000);
        given().put(Fixtures.stub() + "/stub/hang-after-debit/" + customer.account).then().statusCode(200);
        customer.rent(1, 30, null, "crash-1").then().statusCode(503)
                .body("detail", containsString("Idempotency-Key"));
        assertEquals(800, customer.balance(), "the wallet did debit");
        String id = pool.preparedQuery("SELECT id FROM rental WHERE account_id = $1")
                .execute(Tuple.of(customer.account)).await().indefinitely().iterator().next().getUUID(0).toString();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> customer.rent(1, 30, null, "crash-1").statusCode() == 201);
        customer.rent(1, 30, null, "crash-1").then().statusCode(201).body("id", equalTo(id))
                .body("status", equalTo("waiting")).body("number", notNullValue());
        assertEquals(800, customer.balance(), "recovery found the debit instead of charging again");
        assertEquals("1", Fixtures.stubText("/stub/debits/" + id));
    }

    @Test
    void aPurchaseLeftPendingByACrashBeforeAnyCallIsFinishedByRecovery() {
        Fixtures customer = new Fixtures().withBalance(10_000);
        UUID id = UUID.randomUUID();
        pool.preparedQuery("""
                INSERT INTO rental (id, ref, account_id, service_ref, days, status, request_hash, created_at)
                VALUES ($1, 'r_crash1', $2, '1', 365, 'pending', 'x', now() - interval '1 minute')""")
                .execute(Tuple.of(id, customer.account)).await().indefinitely();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> pool.preparedQuery("SELECT status FROM rental WHERE id = $1").execute(Tuple.of(id))
                        .await().indefinitely().iterator().next().getString(0), "waiting"::equals);
        customer.as().get("/v1/rentals/" + id).then().statusCode(200).body("status", equalTo("waiting"))
                .body("cost_cents", equalTo(9000)).body("duration_days", equalTo(365));
        assertEquals(1000, customer.balance());
    }

    @Test
    void anApiKeyRentsLikeASessionAndIsRefusedOnceRevoked() {
        Fixtures customer = new Fixtures().withBalance(1200);
        String key = ApiKeys.generate();
        UUID keyId = UUID.randomUUID();
        KafkaEvents.send(new ApiKeyChanged(ApiKeys.hash(key), keyId, customer.account, ApiKeys.shownPrefix(key),
                ApiKeyChanged.ACTIVE, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> given().auth().oauth2(key).get("/v1/rentals").statusCode() == 200);
        String id = given().auth().oauth2(key).contentType(ContentType.JSON).body("{\"service\": 1, \"days\": 30}")
                .post("/v1/rentals").then().statusCode(201).body("cost_cents", equalTo(1200)).extract().path("id");
        customer.as().get("/v1/rentals/" + id).then().statusCode(200);
        given().auth().oauth2(key).get("/v1/rentals/" + id + "/messages").then().statusCode(200);
        assertEquals(0, customer.balance());

        KafkaEvents.send(new ApiKeyChanged(ApiKeys.hash(key), keyId, customer.account, ApiKeys.shownPrefix(key),
                ApiKeyChanged.REVOKED, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> given().auth().oauth2(key).get("/v1/rentals/" + id).statusCode() == 401);
    }

    @Test
    void aBurstAboveTheLimitFromOneCredentialIsRefusedWith429() throws Exception {
        Fixtures customer = new Fixtures();
        // an unknown id is answered 404 without touching the database: the bursts measure the limiter
        RateLimitProbe.burst(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/v1/rentals/not-a-rental"),
                customer.token, 404, limit);
        new Fixtures().as().get("/v1/rentals").then().statusCode(200); // another credential is not limited
    }
    private static io.restassured.response.Response post(Fixtures customer, String json) {
        return customer.as().contentType(ContentType.JSON).body(json).post("/v1/rentals");
    }

    private static List<Integer> parallel(List<Callable<Integer>> calls) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(calls.size());
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> f : executor.invokeAll(calls)) {
                statuses.add(f.get());
            }
        } finally {
            executor.shutdownNow();
        }
        return statuses;
    }

    private long count(String sql, Object arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().indefinitely().iterator().next().getLong(0);
    }
}
