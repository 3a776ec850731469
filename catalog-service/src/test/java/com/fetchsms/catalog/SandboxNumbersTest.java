package com.fetchsms.catalog;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.catalog.service.SandboxNumberService;
import com.fetchsms.common.events.CancelReason;
import com.fetchsms.common.events.RentalCancelled;
import com.fetchsms.common.events.RentalExpired;
import com.fetchsms.common.events.Topics;
import com.fetchsms.common.events.VerificationCancelled;
import com.fetchsms.common.events.VerificationExpired;
import com.fetchsms.common.events.VerificationReceived;
import com.fetchsms.common.sandbox.Sandbox;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The sandbox's numbers (test keys): stocked at start with their events, given only to sandbox reservations (and
 * never to a live one), priced and capped as live, reusable after every end, invisible to the live stock. Each test
 * uses its own sandbox area code or services, so the 300 numbers are shared safely: area code 305 and service 5 are
 * the exhaustion test's, area code 512 and service 6 the race's, sandbox rentals ask for area code 201.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class SandboxNumbersTest {

    private static final String SANDBOX_NUMBER = "\\+1(201|305|512)55501\\d\\d";

    @Inject
    Pool pool;

    @Inject
    SandboxNumberService sandbox;

    @Test
    void theSandboxNumbersAreStockedAtStartEachWithItsEvent() {
        assertEquals(300L, count("SELECT count(*) FROM phone_number WHERE state = 'sandbox'"));
        assertEquals(300L, count("""
                SELECT count(*) FROM phone_number WHERE state = 'sandbox' AND gateway_id = $1 AND NOT pristine
                  AND area_code IN ('201', '305', '512') AND number ~ '^\\+1[0-9]{3}55501[0-9]{2}$'""",
                Sandbox.GATEWAY_ID));
        assertEquals(0L, count("SELECT count(*) FROM short_pool p JOIN phone_number n USING (number) "
                + "WHERE n.state = 'sandbox'"), "never in the live pool");
        for (String number : List.of("+12015550100", "+13055550150", "+15125550199")) {
            KafkaEvents.Received event = KafkaEvents.await(Topics.INVENTORY_NUMBERS,
                    r -> number.equals(r.key()) && "sandbox".equals(r.data().path("state").asText()),
                    Duration.ofSeconds(20));
            assertEquals(Sandbox.GATEWAY_ID.toString(), event.data().get("gateway_id").asText());
            assertEquals(number.substring(2, 5), event.data().get("area_code").asText());
        }
        given().auth().oauth2(TestTokens.admin()).queryParam("state", "sandbox").queryParam("area_code", "512")
                .queryParam("limit", 1000).get("/v1/admin/numbers").then().statusCode(200).body("", hasSize(100))
                .body("state", everyItem(equalTo("sandbox")))
                .body("gateway_id", everyItem(equalTo(Sandbox.GATEWAY_ID.toString())));
    }

    @Test
    void replicasStartingAtOnceAndRestartsStockEachNumberOnceWithOneEvent() throws Exception {
        // area codes of their own (no other test uses them): four replicas start together, then one restarts
        List<String> codes = List.of("987", "986");
        List<Callable<List<String>>> starts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            starts.add(() -> sandbox.stock(codes).await().atMost(Duration.ofSeconds(60)));
        }
        List<String> added = new ArrayList<>();
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            for (Future<List<String>> start : executor.invokeAll(starts)) {
                added.addAll(start.get());
            }
        } finally {
            executor.shutdownNow();
        }
        assertEquals(200, added.size());
        assertEquals(200, new HashSet<>(added).size(), "each number added by one replica only");
        assertEquals(0, sandbox.stock(codes).await().atMost(Duration.ofSeconds(60)).size(), "a restart adds none");
        assertEquals(200L, count("SELECT count(*) FROM phone_number WHERE state = 'sandbox' AND area_code IN "
                + "('987', '986')"));
        for (String number : List.of("+19875550100", "+19865550199")) {
            List<KafkaEvents.Received> events = TestInventory.publishedOfKey(pool, Topics.INVENTORY_NUMBERS,
                    number);
            assertEquals(1, events.size(), "one event per sandbox number: " + events);
            assertEquals("sandbox", events.get(0).data().get("state").asText());
        }
        // not configured: never given out
        TestInventory.reserveSandbox(UUID.randomUUID(), 4, "short", null, "987").then().statusCode(409);
    }

    @Test
    void aSandboxReservationIsGivenASandboxNumberAtTheLivePrice() {
        UUID purchase = UUID.randomUUID();
        String number = TestInventory.reserveSandbox(purchase, "telegram", "short", null, null).then()
                .statusCode(201).body("number", matchesPattern(SANDBOX_NUMBER)).body("sandbox", equalTo(true))
                .body("price_cents", equalTo(70)).body("service_id", equalTo(4)).body("status", equalTo("active"))
                .extract().path("number");
        assertEquals("sandbox", text("SELECT state FROM phone_number WHERE number = $1", number));
        ServiceCredentials.internal().get("/internal/reservations/" + purchase).then().statusCode(200)
                .body("sandbox", equalTo(true)).body("number", equalTo(number));
        // the same request again answers it; the same purchase asking for a live number is another reservation
        TestInventory.reserveSandbox(purchase, 4, "short", null, null).then().statusCode(200)
                .body("number", equalTo(number));
        TestInventory.reserve(purchase, 4, "short", null, null).then().statusCode(409)
                .body("detail", containsString("already holds a different reservation"));

        // an area code is honoured among the sandbox's, with the live surcharge; a rental at the live term price
        TestInventory.reserveSandbox(UUID.randomUUID(), 2, "short", null, "201").then().statusCode(201)
                .body("number", matchesPattern("\\+1201555\\d{4}")).body("price_cents", equalTo(150));
        TestInventory.reserveSandbox(UUID.randomUUID(), "unlimited-services", "long", 30, "201").then()
                .statusCode(201).body("number", matchesPattern("\\+120155501\\d\\d")).body("mode", equalTo("long"))
                .body("price_cents", equalTo(1210)).body("sandbox", equalTo(true));

        // a live area code has no sandbox number: out of stock, as live
        String live = TestInventory.freshAreaCode();
        TestInventory.addNumbers(live, 2);
        TestInventory.reserveSandbox(UUID.randomUUID(), 4, "short", null, live).then().statusCode(409)
                .body("detail", equalTo("Out of stock for short-term verifications in area code " + live + " (4)"));
    }

    @Test
    void aLiveReservationIsNeverGivenASandboxNumber() {
        // the sandbox area codes hold no live number: a live reservation there is out of stock, sandbox numbers or not
        for (String area : List.of("201", "305", "512")) {
            TestInventory.reserve(UUID.randomUUID(), 4, "short", null, area).then().statusCode(409)
                    .body("detail", equalTo("Out of stock for short-term verifications in area code " + area
                            + " (4)"));
            TestInventory.reserve(UUID.randomUUID(), 1, "long", 7, area).then().statusCode(409)
                    .body("detail", containsString("Out of stock for long-term rentals"));
        }
        // live reservations without an area code take live numbers only, and answer no sandbox flag
        String live = TestInventory.freshAreaCode();
        TestInventory.addNumbers(live, 3);
        for (int i = 0; i < 3; i++) {
            Response reserved = TestInventory.reserve(UUID.randomUUID(), 9, "short", null, null);
            reserved.then().statusCode(201).body("number", not(matchesPattern(SANDBOX_NUMBER)))
                    .body("$", not(org.hamcrest.Matchers.hasKey("sandbox")));
        }
        TestInventory.reserve(UUID.randomUUID(), 1, "long", 1, live).then().statusCode(201)
                .body("number", matchesPattern("\\+1" + live + "\\d{7}"));
        // whatever every test of the run reserved: no live reservation on a sandbox number, nor the reverse
        assertEquals(0L, count("SELECT count(*) FROM reservation r JOIN phone_number n USING (number) "
                + "WHERE (n.state = 'sandbox') <> r.sandbox"));
    }

    @Test
    void aSandboxPriceAboveTheCapIsRefusedWithThePriceAndHoldsNothing() {
        UUID refused = UUID.randomUUID();
        TestInventory.reserve(refused, 4, "short", null, "201", 79, true).then().statusCode(409)
                .body("detail", equalTo("The current price is 80 cents, above 'max_price_cents' (79); nothing was "
                        + "charged"))
                .body("price_cents", equalTo(80));
        ServiceCredentials.internal().get("/internal/reservations/" + refused).then().statusCode(404);
        TestInventory.reserve(UUID.randomUUID(), 4, "short", null, "201", 80, true).then().statusCode(201)
                .body("price_cents", equalTo(80)).body("sandbox", equalTo(true));
    }

    @Test
    void sandboxNumbersServeAgainAfterEveryEndAndNeverTouchTheLiveStock() {
        JsonPath before = given().get("/v1/services").then().statusCode(200).extract().jsonPath();
        List<UUID> held = new ArrayList<>();
        Set<String> numbers = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            UUID purchase = UUID.randomUUID();
            numbers.add(TestInventory.reserveSandbox(purchase, 5, "short", null, "305").then().statusCode(201)
                    .extract().path("number"));
            held.add(purchase);
        }
        assertEquals(100, numbers.size(), "one reservation of the service per sandbox number");
        // every sandbox number of the area code holds the service: out of stock, the answer live gives
        TestInventory.reserveSandbox(UUID.randomUUID(), 5, "short", null, "305").then().statusCode(409)
                .body("detail", equalTo("Out of stock for short-term verifications in area code 305 (5)"));
        // another service still has every one of them
        TestInventory.reserveSandbox(UUID.randomUUID(), 10, "short", null, "305").then().statusCode(201);

        // a code delivered (the internal route, then an event), a release, an expiry, reports: each number is free
        // again for the same service, and nothing of it is counted
        String completed = number(held.get(0));
        ServiceCredentials.internal().post("/internal/reservations/" + held.get(0) + "/complete").then()
                .statusCode(200).body("status", equalTo("completed"));
        String released = number(held.get(1));
        ServiceCredentials.internal().post("/internal/reservations/" + held.get(1) + "/release").then()
                .statusCode(200).body("status", equalTo("released"));
        KafkaEvents.send(new VerificationReceived(held.get(2), UUID.randomUUID(), "v_sbx001", 5, "facebook",
                "Facebook", number(held.get(2)), "Facebook", "123456", Instant.now()));
        KafkaEvents.send(new VerificationExpired(held.get(3), UUID.randomUUID(), "v_sbx002", 5, "facebook",
                number(held.get(3)), 50, Instant.now()));
        for (int i = 4; i < 7; i++) {
            KafkaEvents.send(new VerificationCancelled(held.get(i), UUID.randomUUID(), "v_sbx00" + i, 5, "facebook",
                    number(held.get(i)), 50, Instant.now(), CancelReason.REPORTED));
        }
        for (int i = 2; i < 7; i++) {
            UUID purchase = held.get(i);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !"active".equals(text("SELECT status FROM reservation WHERE purchase_id = $1",
                            purchase)));
        }
        Set<String> freed = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            freed.add(number(held.get(i)));
        }
        Set<String> again = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            again.add(TestInventory.reserveSandbox(UUID.randomUUID(), 5, "short", null, "305").then()
                    .statusCode(201).extract().path("number"));
        }
        assertEquals(freed, again, "the freed numbers, and only they, serve the service again");
        assertTrue(again.contains(completed) && again.contains(released));
        TestInventory.reserveSandbox(UUID.randomUUID(), 5, "short", null, "305").then().statusCode(409);

        String sandboxNumbers = "(SELECT number FROM phone_number WHERE state = 'sandbox')";
        assertEquals(0L, count("SELECT count(*) FROM number_service_use WHERE number IN " + sandboxNumbers));
        assertEquals(0L, count("SELECT count(*) FROM number_service_health WHERE number IN " + sandboxNumbers));
        assertEquals(0L, count("SELECT count(*) FROM number_retirement WHERE number IN " + sandboxNumbers));
        assertEquals(0L, count("SELECT count(*) FROM short_pool WHERE number IN " + sandboxNumbers));
        assertEquals(300L, count("SELECT count(*) FROM phone_number WHERE state = 'sandbox' AND area_code IN "
                + "('201', '305', '512')"));

        JsonPath after = given().get("/v1/services").then().statusCode(200).extract().jsonPath();
        for (String slug : List.of("facebook", "apple", "unlimited-services")) {
            assertEquals(before.getLong("find { it.slug == '" + slug + "' }.short_available"),
                    after.getLong("find { it.slug == '" + slug + "' }.short_available"), slug);
            assertEquals(before.getLong("find { it.slug == '" + slug + "' }.long_available"),
                    after.getLong("find { it.slug == '" + slug + "' }.long_available"), slug);
        }
        for (String mode : List.of("short", "long")) {
            given().queryParam("mode", mode).get("/v1/services/area-codes").then().statusCode(200)
                    .body("", not(hasItem("305"))).body("", not(hasItem("201"))).body("", not(hasItem("512")));
        }
    }

    @Test
    void sandboxRentalsEndWithoutChangingTheNumber() {
        UUID reported = UUID.randomUUID();
        String number = TestInventory.reserveSandbox(reported, 1, "long", 7, "201").then().statusCode(201)
                .extract().path("number");
        // held by a sandbox rental: no verification of any service gets it
        assertEquals(0L, count("SELECT count(*) FROM reservation WHERE number = $1 AND status = 'active' "
                + "AND mode = 'short'", number));
        KafkaEvents.send(new RentalCancelled(reported, UUID.randomUUID(), "r_sbx001", number, 600, Instant.now(),
                CancelReason.REPORTED));
        UUID expired = UUID.randomUUID();
        String other = TestInventory.reserveSandbox(expired, 1, "long", 1, "201").then().statusCode(201)
                .extract().path("number");
        KafkaEvents.send(new RentalExpired(expired, UUID.randomUUID(), "r_sbx002", other, true, List.of("telegram"),
                300, Instant.now()));
        for (UUID rental : List.of(reported, expired)) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "released".equals(text("SELECT status FROM reservation WHERE purchase_id = $1",
                            rental)));
        }
        for (String one : List.of(number, other)) {
            assertEquals("sandbox", text("SELECT state FROM phone_number WHERE number = $1", one));
            assertEquals(0L, count("SELECT rental_reports FROM phone_number WHERE number = $1", one));
            assertEquals(0L, count("SELECT count(*) FROM number_service_use WHERE number = $1", one));
        }
        assertEquals(0L, count("SELECT count(*) FROM number_retirement WHERE purchase_id = $1", reported));
        assertTrue(KafkaEvents.upToNow(Topics.INVENTORY_NUMBERS, r -> number.equals(r.key())).stream()
                .allMatch(r -> "sandbox".equals(r.data().get("state").asText())), "never rented nor retired");
    }

    @Test
    void sandboxRentalsAndVerificationsRacingNeverShareANumber() throws Exception {
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(i % 2 == 0
                    ? () -> TestInventory.reserveSandbox(UUID.randomUUID(), 1, "long", 7, "201")
                    : () -> TestInventory.reserveSandbox(UUID.randomUUID(), 8, "short", null, "201"));
        }
        List<Integer> statuses = race(calls);
        assertEquals(40, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(0L, count("""
                SELECT count(*) FROM reservation l JOIN reservation o ON o.number = l.number AND o.id <> l.id
                WHERE l.sandbox AND l.mode = 'long' AND l.status = 'active' AND o.status = 'active'"""));
    }

    @Test
    void manyConcurrentSandboxVerificationsOfOneServiceNeverShareANumber() throws Exception {
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            calls.add(() -> TestInventory.reserveSandbox(UUID.randomUUID(), 6, "short", null, "512"));
        }
        List<Integer> statuses = race(calls);
        // 100 sandbox numbers in area code 512: each taken once for the service, the others out of stock
        assertEquals(100, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(30, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        assertEquals(100L, count("""
                SELECT count(DISTINCT number) FROM reservation
                WHERE sandbox AND service_id = 6 AND status = 'active' AND area_code = '512'"""));
        assertEquals(100L, count("""
                SELECT count(*) FROM reservation WHERE sandbox AND service_id = 6 AND status = 'active'
                  AND area_code = '512'"""));
    }

    @Test
    void aSandboxNumberIsNeitherReImportedNorRetiredByAnOperator() {
        String number = "+13055550142";
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("gateway_id", TestInventory.GATEWAY.toString(), "numbers", List.of(number)))
                .post("/v1/admin/numbers").then().statusCode(201).body("added", equalTo(0))
                .body("skipped", equalTo(1));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("gateway_id", Sandbox.GATEWAY_ID.toString(), "numbers", List.of("+19855550100")))
                .post("/v1/admin/numbers").then().statusCode(422)
                .body("detail", containsString("'gateway_id' is the sandbox's"));
        given().auth().oauth2(TestTokens.admin()).delete("/v1/admin/numbers/" + number).then().statusCode(409)
                .body("detail", equalTo("Number (305) 555-0142 is a sandbox number (test keys' inventory); sandbox "
                        + "numbers are never retired"));
        assertEquals("sandbox", text("SELECT state FROM phone_number WHERE number = $1", number));
        assertEquals(Sandbox.GATEWAY_ID.toString(),
                text("SELECT gateway_id::text FROM phone_number WHERE number = $1", number));
        assertEquals(0L, count("SELECT count(*) FROM phone_number WHERE number = '+19855550100'"));
    }

    private static List<Integer> race(List<Callable<Response>> calls) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(calls.size());
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Response> f : executor.invokeAll(calls)) {
                statuses.add(f.get().statusCode());
            }
        } finally {
            executor.shutdownNow();
        }
        return statuses;
    }

    private String number(UUID purchase) {
        return text("SELECT number FROM reservation WHERE purchase_id = $1", purchase);
    }

    private String text(String sql, Object arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().indefinitely().iterator().next().getString(0);
    }

    private long count(String sql, Object... args) {
        Tuple tuple = Tuple.tuple();
        for (Object arg : args) {
            tuple.addValue(arg);
        }
        return pool.preparedQuery(sql).execute(tuple).await().indefinitely().iterator().next().getLong(0);
    }
}
