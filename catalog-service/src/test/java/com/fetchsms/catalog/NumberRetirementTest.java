package com.fetchsms.catalog;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.ApiKeyChanged;
import com.fetchsms.common.events.CancelReason;
import com.fetchsms.common.events.RentalCancelled;
import com.fetchsms.common.events.Topics;
import com.fetchsms.common.events.VerificationCancelled;
import com.fetchsms.common.events.VerificationExpired;
import com.fetchsms.common.events.VerificationReceived;
import com.fetchsms.common.security.ApiKeys;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Automatic retirement of numbers that do not work (decision 0022), through the real consumer (events on the broker),
 * the real allocation and the admin routes. Each test uses services no other test of the suite delivers codes for, so
 * the "another number got a code" rule sees only this test's codes.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class NumberRetirementTest {

    @Inject
    Pool pool;

    @Test
    void threeReportsInARowRetireTheNumberFromThatServiceOnlyAndAnOperatorCanGiveItBack() {
        int ebay = 33;
        int steam = 34;
        String area = TestInventory.freshAreaCode();
        String number = TestInventory.addNumbers(area, 1).get(0);
        List<UUID> reported = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UUID purchase = UUID.randomUUID();
            TestInventory.reserve(purchase, ebay, "short", null, area).then().statusCode(201)
                    .body("number", equalTo(number));
            report(purchase, ebay, "ebay", number);
            awaitStatus(purchase, "released");
            reported.add(purchase);
        }
        assertEquals("reported", endedReason(reported.get(0)));

        // never offered for eBay again, while another service still gets it
        TestInventory.reserve(UUID.randomUUID(), ebay, "short", null, area).then().statusCode(409);
        assertEquals(0L, count("SELECT count(*) FROM short_pool WHERE number = $1 AND service_id = 33", number));
        UUID other = UUID.randomUUID();
        TestInventory.reserve(other, steam, "short", null, area).then().statusCode(201).body("number",
                equalTo(number));
        given().get("/v1/services").then().statusCode(200); // the stock query still answers with retired pairs

        Row retirement = one("SELECT * FROM number_retirement WHERE number = $1", number);
        assertEquals(33, retirement.getInteger("service_id"));
        assertEquals("consecutive_failures", retirement.getString("reason"));
        assertEquals(3, retirement.getInteger("consecutive_failures"));
        assertEquals(3, retirement.getInteger("reports"));
        assertEquals(0, retirement.getInteger("expiries"));
        assertEquals(reported.get(2), retirement.getUUID("purchase_id"), "the failure that tipped it");
        long id = retirement.getLong("id");

        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/numbers/" + number + "/health").then()
                .statusCode(200)
                .body("number", equalTo(number))
                .body("display", equalTo("(" + area + ") 555-0000"))
                .body("state", equalTo("available"))
                .body("rental_reports", equalTo(0))
                .body("services", hasSize(1))
                .body("services[0].service_id", equalTo(33))
                .body("services[0].service", equalTo("ebay"))
                .body("services[0].service_name", equalTo("eBay"))
                .body("services[0].codes", equalTo(0))
                .body("services[0].reports", equalTo(3))
                .body("services[0].expiries", equalTo(0))
                .body("services[0].consecutive_failures", equalTo(3))
                .body("services[0].last_failure_at", notNullValue())
                .body("services[0].retired_at", notNullValue())
                .body("services[0].retired_reason", equalTo("consecutive_failures"));
        given().auth().oauth2(TestTokens.admin()).queryParam("limit", 200).get("/v1/admin/numbers/retirements")
                .then().statusCode(200)
                .body("find { it.id == " + id + " }.number", equalTo(number))
                .body("find { it.id == " + id + " }.service", equalTo("ebay"))
                .body("find { it.id == " + id + " }.undone_at", nullValue());

        // the operator gives it back (by slug here): eBay gets the number again, with a fresh count
        given().auth().oauth2(TestTokens.admin()).delete("/v1/admin/numbers/" + number + "/retirements/ebay").then()
                .statusCode(204);
        given().auth().oauth2(TestTokens.admin()).delete("/v1/admin/numbers/" + number + "/retirements/33").then()
                .statusCode(204); // again: nothing left to undo, still fine
        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/numbers/" + number + "/health").then()
                .statusCode(200)
                .body("services[0].consecutive_failures", equalTo(0))
                .body("services[0].reports", equalTo(3))
                .body("services[0].retired_at", nullValue())
                .body("services[0].retired_reason", nullValue());
        assertTrue(one("SELECT undone_at FROM number_retirement WHERE id = $1", id).getValue(0) != null);
        UUID again = UUID.randomUUID();
        TestInventory.reserve(again, ebay, "short", null, area).then().statusCode(201).body("number",
                equalTo(number));
        // one report after the undo is one failure, not four
        report(again, ebay, "ebay", number);
        awaitStatus(again, "released");
        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/numbers/" + number + "/health").then()
                .body("services[0].consecutive_failures", equalTo(1))
                .body("services[0].retired_at", nullValue());
    }

    @Test
    void anExpiryCountsOnlyWhenAnotherNumberOfTheServiceGotACodeDuringItsWindow() {
        int robinhood = 35;
        String quietArea = TestInventory.freshAreaCode();
        String number = TestInventory.addNumbers(quietArea, 1).get(0);
        String busyArea = TestInventory.freshAreaCode();
        List<String> otherNumbers = TestInventory.addNumbers(busyArea, 2);

        // no code for Robinhood on any number while it waited: the service was quiet, the number is not blamed
        UUID quiet = UUID.randomUUID();
        TestInventory.reserve(quiet, robinhood, "short", null, quietArea).then().statusCode(201);
        expire(quiet, robinhood, "robinhood", number, Instant.now());
        awaitStatus(quiet, "released");
        assertEquals(0L, count("SELECT count(*) FROM number_service_health WHERE number = $1", number));

        // another number got a Robinhood code, but a minute before this verification began: not in its window
        UUID early = UUID.randomUUID();
        String earlyNumber = TestInventory.reserve(early, robinhood, "short", null, busyArea).then().statusCode(201)
                .extract().path("number");
        deliver(early, robinhood, "robinhood", earlyNumber, Instant.now().minusSeconds(60));
        awaitStatus(early, "completed");
        UUID before = UUID.randomUUID();
        TestInventory.reserve(before, robinhood, "short", null, quietArea).then().statusCode(201);
        expire(before, robinhood, "robinhood", number, Instant.now());
        awaitStatus(before, "released");
        assertEquals(0L, count("SELECT count(*) FROM number_service_health WHERE number = $1", number));

        // another number got a Robinhood code while this one waited: the expiry counts
        UUID waiting = UUID.randomUUID();
        TestInventory.reserve(waiting, robinhood, "short", null, quietArea).then().statusCode(201);
        UUID served = UUID.randomUUID();
        String servedNumber = TestInventory.reserve(served, robinhood, "short", null, busyArea).then()
                .statusCode(201).extract().path("number");
        assertNotEquals(earlyNumber, servedNumber);
        deliver(served, robinhood, "robinhood", servedNumber, Instant.now());
        awaitStatus(served, "completed");
        expire(waiting, robinhood, "robinhood", number, Instant.now());
        awaitStatus(waiting, "released");
        Row health = one("SELECT * FROM number_service_health WHERE number = $1 AND service_id = 35", number);
        assertEquals(1, health.getInteger("expiries"));
        assertEquals(0, health.getInteger("reports"));
        assertEquals(1, health.getInteger("consecutive_failures"));
        // the numbers that delivered are counted as such
        assertEquals(1, one("SELECT codes FROM number_service_health WHERE number = $1 AND service_id = 35",
                servedNumber).getInteger(0));
        assertTrue(otherNumbers.contains(servedNumber));
    }

    @Test
    void aDeliveredCodeEndsTheRunOfFailures() {
        int chime = 36;
        String area = TestInventory.freshAreaCode();
        String number = TestInventory.addNumbers(area, 1).get(0);
        for (int i = 0; i < 2; i++) {
            UUID purchase = UUID.randomUUID();
            TestInventory.reserve(purchase, chime, "short", null, area).then().statusCode(201);
            report(purchase, chime, "chime", number);
            awaitStatus(purchase, "released");
        }
        assertEquals(2, one("SELECT consecutive_failures FROM number_service_health WHERE number = $1", number)
                .getInteger(0));
        UUID served = UUID.randomUUID();
        TestInventory.reserve(served, chime, "short", null, area).then().statusCode(201);
        KafkaEvents.send(new VerificationReceived(served, UUID.randomUUID(), "v_ret03", chime, "chime", "Chime",
                number, "Chime", "771100", Instant.now()));
        awaitStatus(served, "completed");
        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/numbers/" + number + "/health").then()
                .statusCode(200)
                .body("services[0].codes", equalTo(1))
                .body("services[0].reports", equalTo(2))
                .body("services[0].consecutive_failures", equalTo(0))
                .body("services[0].last_code_at", notNullValue())
                .body("services[0].retired_at", nullValue());
    }

    @Test
    void aReportDeliveredSeveralTimesInOneBatchCountsOnce() {
        int instacart = 37;
        String area = TestInventory.freshAreaCode();
        String number = TestInventory.addNumbers(area, 1).get(0);
        UUID purchase = UUID.randomUUID();
        TestInventory.reserve(purchase, instacart, "short", null, area).then().statusCode(201);
        VerificationCancelled report = new VerificationCancelled(purchase, UUID.randomUUID(), "v_ret04", instacart,
                "instacart", number, 35, Instant.now(), CancelReason.REPORTED);
        String first = UUID.randomUUID().toString();
        String resent = UUID.randomUUID().toString(); // the same report published twice by its producer
        KafkaEvents.sendAll(List.of(new KafkaEvents.Outgoing(report, first), new KafkaEvents.Outgoing(report, first),
                new KafkaEvents.Outgoing(report, resent)));
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "SELECT count(*) FROM processed_event WHERE event_id = ANY($1::text[])",
                new String[]{first, resent}) == 2L);
        Row health = one("SELECT * FROM number_service_health WHERE number = $1", number);
        assertEquals(1, health.getInteger("reports"));
        assertEquals(1, health.getInteger("consecutive_failures"));
    }

    @Test
    void aCustomerCancellationIsNotAFailure() {
        int grubhub = 38;
        String area = TestInventory.freshAreaCode();
        String number = TestInventory.addNumbers(area, 1).get(0);
        UUID purchase = UUID.randomUUID();
        TestInventory.reserve(purchase, grubhub, "short", null, area).then().statusCode(201);
        KafkaEvents.send(new VerificationCancelled(purchase, UUID.randomUUID(), "v_ret05", grubhub, "grubhub",
                number, 30, Instant.now()));
        awaitStatus(purchase, "released");
        assertEquals("cancelled", endedReason(purchase));
        assertEquals(0L, count("SELECT count(*) FROM number_service_health WHERE number = $1", number));
    }

    @Test
    void aReportedRentalRetiresTheWholeNumberAndTellsSmsIngest() {
        String area = TestInventory.freshAreaCode();
        TestInventory.addNumbers(area, 2);
        UUID reportedRental = UUID.randomUUID();
        String reportedNumber = TestInventory.reserve(reportedRental, 1, "long", 7, area).then().statusCode(201)
                .extract().path("number");
        UUID cancelledRental = UUID.randomUUID();
        String cancelledNumber = TestInventory.reserve(cancelledRental, 1, "long", 7, area).then().statusCode(201)
                .extract().path("number");
        assertNotEquals(reportedNumber, cancelledNumber);

        KafkaEvents.send(new RentalCancelled(reportedRental, UUID.randomUUID(), "r_ret01", reportedNumber, 600,
                Instant.now(), CancelReason.REPORTED));
        KafkaEvents.send(new RentalCancelled(cancelledRental, UUID.randomUUID(), "r_ret02", cancelledNumber, 600,
                Instant.now(), CancelReason.CUSTOMER));
        awaitStatus(reportedRental, "released");
        awaitStatus(cancelledRental, "released");

        assertEquals("retired", one("SELECT state FROM phone_number WHERE number = $1", reportedNumber).getString(0));
        assertEquals("available", one("SELECT state FROM phone_number WHERE number = $1", cancelledNumber)
                .getString(0), "a customer's cancellation is not a report");
        KafkaEvents.await(Topics.INVENTORY_NUMBERS, r -> reportedNumber.equals(r.key())
                && "retired".equals(r.data().get("state").asText()), Duration.ofSeconds(20));
        Row retirement = one("SELECT * FROM number_retirement WHERE number = $1", reportedNumber);
        assertEquals("rental_reported", retirement.getString("reason"));
        assertEquals(1, retirement.getInteger("rental_reports"));
        assertEquals(reportedRental, retirement.getUUID("purchase_id"));
        assertTrue(retirement.getValue("service_id") == null, "the whole number");

        // the number is offered for nothing; the other one serves verifications
        for (int service : List.of(3, 5, 9)) {
            TestInventory.reserve(UUID.randomUUID(), service, "short", null, area).then().statusCode(201)
                    .body("number", equalTo(cancelledNumber));
        }
        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/numbers/" + reportedNumber + "/health").then()
                .statusCode(200).body("state", equalTo("retired")).body("rental_reports", equalTo(1))
                .body("retired_at", notNullValue());
        given().auth().oauth2(TestTokens.admin()).queryParam("limit", 200).get("/v1/admin/numbers/retirements")
                .then().statusCode(200)
                .body("find { it.number == '" + reportedNumber + "' }.reason", equalTo("rental_reported"))
                .body("find { it.number == '" + reportedNumber + "' }.service_id", nullValue());
    }

    @Test
    void racingVerificationsNeverGetANumberRetiredFromTheirService() throws Exception {
        int nike = 42;
        int reddit = 40;
        String area = TestInventory.freshAreaCode();
        TestInventory.addNumbers(area, 2);
        // every report falls on a number still sold for Nike; after six, both are retired from it
        for (int i = 0; i < 6; i++) {
            UUID purchase = UUID.randomUUID();
            String number = TestInventory.reserve(purchase, nike, "short", null, area).then().statusCode(201)
                    .extract().path("number");
            report(purchase, nike, "nike", number);
            awaitStatus(purchase, "released");
        }
        assertEquals(2L, count("""
                SELECT count(*) FROM number_service_health h JOIN phone_number n USING (number)
                WHERE n.area_code = $1 AND h.service_id = 42 AND h.retired_at IS NOT NULL""", area));

        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int service = i % 2 == 0 ? nike : reddit;
            calls.add(() -> TestInventory.reserve(UUID.randomUUID(), service, "short", null, area));
        }
        List<Response> answers = race(calls);
        long nikeTaken = 0;
        long redditTaken = 0;
        for (int i = 0; i < answers.size(); i++) {
            int status = answers.get(i).statusCode();
            assertTrue(status == 201 || status == 409, "status " + status);
            if (status == 201) {
                if (i % 2 == 0) {
                    nikeTaken++;
                } else {
                    redditTaken++;
                }
            }
        }
        assertEquals(0, nikeTaken, "no retired pair handed out");
        assertEquals(2, redditTaken, "each number once for another service");
        assertEquals(0L, count("""
                SELECT count(*) FROM reservation r JOIN phone_number n USING (number)
                WHERE n.area_code = $1 AND r.service_id = 42 AND r.status = 'active'""", area));
        assertEquals(2L, count("""
                SELECT count(DISTINCT r.number) FROM reservation r JOIN phone_number n USING (number)
                WHERE n.area_code = $1 AND r.service_id = 40 AND r.status = 'active'""", area));
    }

    @Test
    void theHealthRoutesAreForAdministratorsAndAnswer404ForWhatDoesNotExist() {
        String area = TestInventory.freshAreaCode();
        String number = TestInventory.addNumbers(area, 1).get(0);
        String key = ApiKeys.generate();
        KafkaEvents.send(new ApiKeyChanged(ApiKeys.hash(key), UUID.randomUUID(), UUID.randomUUID(),
                ApiKeys.shownPrefix(key), ApiKeyChanged.ACTIVE, Instant.now()));
        await().atMost(Duration.ofSeconds(10)).until(() -> given().auth().oauth2(key)
                .get("/v1/admin/numbers/" + number + "/health").statusCode() == 403);
        String customer = TestTokens.user(UUID.randomUUID());
        for (String credential : List.of(customer, key)) {
            given().auth().oauth2(credential).get("/v1/admin/numbers/" + number + "/health").then().statusCode(403)
                    .body("detail", notNullValue());
            given().auth().oauth2(credential).get("/v1/admin/numbers/retirements").then().statusCode(403);
            given().auth().oauth2(credential).delete("/v1/admin/numbers/" + number + "/retirements/4").then()
                    .statusCode(403);
        }
        given().get("/v1/admin/numbers/" + number + "/health").then().statusCode(401);
        given().get("/v1/admin/numbers/retirements").then().statusCode(401);
        given().delete("/v1/admin/numbers/" + number + "/retirements/4").then().statusCode(401);

        String admin = TestTokens.admin();
        given().auth().oauth2(admin).get("/v1/admin/numbers/" + number + "/health").then().statusCode(200)
                .body("services", hasSize(0));
        given().auth().oauth2(admin).get("/v1/admin/numbers/+12025550199/health").then().statusCode(404)
                .body("detail", containsString("Unknown number"));
        given().auth().oauth2(admin).get("/v1/admin/numbers/12345/health").then().statusCode(422)
                .body("detail", containsString("'number'"));
        given().auth().oauth2(admin).delete("/v1/admin/numbers/+12025550199/retirements/4").then().statusCode(404)
                .body("detail", containsString("Unknown number"));
        given().auth().oauth2(admin).delete("/v1/admin/numbers/" + number + "/retirements/999").then()
                .statusCode(404).body("detail", containsString("Unknown service"));
        given().auth().oauth2(admin).delete("/v1/admin/numbers/" + number + "/retirements/no-such-service").then()
                .statusCode(404);
        given().urlEncodingEnabled(false).auth().oauth2(admin)
                .delete("/v1/admin/numbers/" + number + "/retirements/x%01y").then()
                .statusCode(400).body("detail", containsString("'service'"));
        given().auth().oauth2(admin).queryParam("limit", "0").get("/v1/admin/numbers/retirements").then()
                .statusCode(422).body("detail", containsString("'limit'"));
        given().auth().oauth2(admin).queryParam("before", "abc").get("/v1/admin/numbers/retirements").then()
                .statusCode(422).body("detail", containsString("'before'"));
        given().auth().oauth2(admin).queryParam("before", "0").get("/v1/admin/numbers/retirements").then()
                .statusCode(422).body("detail", containsString("'before'"));
    }

    @Test
    void retirementsAreListedNewestFirstAPageAtATime() {
        String area = TestInventory.freshAreaCode();
        String number = TestInventory.addNumbers(area, 1).get(0);
        // three retirements of one number from three services, each after three reports
        List<Integer> services = List.of(27, 28, 29);
        List<String> slugs = List.of("netflix", "airbnb", "doordash");
        for (int s = 0; s < services.size(); s++) {
            for (int i = 0; i < 3; i++) {
                UUID purchase = UUID.randomUUID();
                TestInventory.reserve(purchase, services.get(s), "short", null, area).then().statusCode(201);
                report(purchase, services.get(s), slugs.get(s), number);
                awaitStatus(purchase, "released");
            }
        }
        List<Long> ids = new ArrayList<>();
        pool.preparedQuery("SELECT id FROM number_retirement WHERE number = $1 ORDER BY id DESC")
                .execute(Tuple.of(number)).await().indefinitely().forEach(row -> ids.add(row.getLong(0)));
        assertEquals(3, ids.size());
        // a page of two from just above the newest, then the rest
        given().auth().oauth2(TestTokens.admin()).queryParam("before", ids.get(0) + 1).queryParam("limit", 2)
                .get("/v1/admin/numbers/retirements").then().statusCode(200)
                .body("id", equalTo(List.of(ids.get(0).intValue(), ids.get(1).intValue())))
                .body("service", equalTo(List.of("doordash", "airbnb")))
                .body("[0].number", equalTo(number))
                .body("[0].display", equalTo("(" + area + ") 555-0000"))
                .body("[0].reports", equalTo(3))
                .body("[0].retired_at", notNullValue());
        given().auth().oauth2(TestTokens.admin()).queryParam("before", ids.get(1)).queryParam("limit", 2)
                .get("/v1/admin/numbers/retirements").then().statusCode(200)
                .body("id[0]", equalTo(ids.get(2).intValue()))
                .body("service[0]", equalTo("netflix"));
        given().auth().oauth2(TestTokens.admin()).get("/v1/admin/numbers/" + number + "/health").then()
                .statusCode(200).body("services.service", equalTo(List.of("netflix", "airbnb", "doordash")))
                .body("services.retired_reason", equalTo(List.of("consecutive_failures", "consecutive_failures",
                        "consecutive_failures")));
    }

    private static void report(UUID purchase, int serviceId, String slug, String number) {
        KafkaEvents.send(new VerificationCancelled(purchase, UUID.randomUUID(), "v_report", serviceId, slug, number,
                50, Instant.now(), CancelReason.REPORTED));
    }

    private static void deliver(UUID purchase, int serviceId, String slug, String number, Instant at) {
        KafkaEvents.send(new VerificationReceived(purchase, UUID.randomUUID(), "v_deliver", serviceId, slug, slug,
                number, slug, "551234", at));
    }

    private static void expire(UUID purchase, int serviceId, String slug, String number, Instant at) {
        KafkaEvents.send(new VerificationExpired(purchase, UUID.randomUUID(), "v_expire", serviceId, slug, number, 70,
                at));
    }

    private static List<Response> race(List<Callable<Response>> calls) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(calls.size());
        try {
            List<Future<Response>> futures = executor.invokeAll(calls);
            List<Response> answers = new ArrayList<>();
            for (Future<Response> future : futures) {
                answers.add(future.get());
            }
            return answers;
        } finally {
            executor.shutdownNow();
        }
    }

    private void awaitStatus(UUID purchase, String status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> status.equals(one("SELECT status FROM reservation WHERE purchase_id = $1", purchase)
                        .getString(0)));
    }

    private String endedReason(UUID purchase) {
        return one("SELECT ended_reason FROM reservation WHERE purchase_id = $1", purchase).getString(0);
    }

    private Row one(String sql, Object arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().indefinitely().iterator().next();
    }

    private long count(String sql, Object arg) {
        return one(sql, arg).getLong(0);
    }
}
