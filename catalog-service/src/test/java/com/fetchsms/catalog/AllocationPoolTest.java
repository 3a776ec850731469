package com.fetchsms.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.CancelReason;
import com.fetchsms.common.events.RentalExpired;
import com.fetchsms.common.events.VerificationCancelled;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code short_pool} (migration V3) is where verifications find non-pristine numbers; it must always hold exactly the
 * pairs its definition names, whatever path changed the inventory.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class AllocationPoolTest {

    /**
     * Pairs that are in the pool but should not be, plus pairs that should be but are not (or not with their number's area
     * code), for one area code.
     */
    private static final String POOL_MISMATCHES = """
            WITH expected AS (
                SELECT n.number, s.id AS service_id FROM phone_number n CROSS JOIN service s
                WHERE n.area_code = $1 AND n.state = 'available' AND NOT n.pristine AND s.product = 'short'
                  AND NOT EXISTS (SELECT 1 FROM reservation r
                                  WHERE r.number = n.number AND r.service_id = s.id AND r.status = 'active')
                  AND NOT EXISTS (SELECT 1 FROM number_service_use u
                                  WHERE u.number = n.number AND u.service_id = s.id)
                  AND NOT EXISTS (SELECT 1 FROM number_service_health h
                                  WHERE h.number = n.number AND h.service_id = s.id AND h.retired_at IS NOT NULL)),
            actual AS (SELECT p.number, p.service_id FROM short_pool p
                       JOIN phone_number n ON n.number = p.number AND n.area_code = p.area_code
                       WHERE p.area_code = $1)
            SELECT count(*) FROM ((SELECT * FROM expected EXCEPT SELECT * FROM actual)
                                  UNION ALL (SELECT * FROM actual EXCEPT SELECT * FROM expected)) AS diff""";

    @Inject
    Pool pool;

    @Test
    void thePoolHoldsExactlyThePairsAVerificationMayTakeThroughEveryChange() {
        String area = TestInventory.freshAreaCode();
        List<String> numbers = TestInventory.addNumbers(area, 4);
        assertPoolMatches(area, 0);

        // a first reservation makes a number non-pristine; it is then blocked only for the services it holds
        UUID whatsapp = UUID.randomUUID();
        String first = TestInventory.reserve(whatsapp, 2, "short", null, area).then().statusCode(201)
                .extract().path("number");
        UUID telegram = UUID.randomUUID();
        TestInventory.reserve(telegram, 4, "short", null, area).then().statusCode(201)
                .body("number", equalTo(first)); // the used number before any pristine one
        assertPoolMatches(area, 39);

        // a completed verification blocks the pair for good, a released one gives it back
        ServiceCredentials.internal().post("/internal/reservations/" + whatsapp + "/complete").then().statusCode(200);
        ServiceCredentials.internal().post("/internal/reservations/" + telegram + "/release").then().statusCode(200);
        assertPoolMatches(area, 40);

        // a rental takes a pristine number, leaves the pool alone, and returns the number used, without the services
        // it received codes for
        UUID rental = UUID.randomUUID();
        String rented = TestInventory.reserve(rental, 1, "long", 7, area).then().statusCode(201)
                .extract().path("number");
        assertNotEquals(first, rented);
        assertPoolMatches(area, 40);
        KafkaEvents.send(new RentalExpired(rental, UUID.randomUUID(), "r_pool01", rented, true,
                List.of("whatsapp", "discord"), 300, Instant.now()));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "released".equals(
                ServiceCredentials.internal().get("/internal/reservations/" + rental).then().extract().path("status")));
        assertPoolMatches(area, 79);

        // retiring a used number takes all its pairs out
        given().auth().oauth2(TestTokens.admin()).when().delete("/v1/admin/numbers/" + first).then().statusCode(204);
        assertPoolMatches(area, 39);

        // the returned number is the only used one left: every service it may serve gets it before a pristine one
        for (int service = 3; service <= 42; service++) {
            if (service != 8) {
                TestInventory.reserve(UUID.randomUUID(), service, "short", null, area).then().statusCode(201)
                        .body("number", equalTo(rented));
            }
        }
        assertPoolMatches(area, 0);
        // WhatsApp may not use it: a pristine number, which then joins the pool for the 40 other services
        String fresh = TestInventory.reserve(UUID.randomUUID(), 2, "short", null, area).then().statusCode(201)
                .extract().path("number");
        assertTrue(numbers.contains(fresh) && !fresh.equals(first) && !fresh.equals(rented), fresh);
        assertPoolMatches(area, 40);
    }

    @Test
    void aRetirementFromAServiceTakesItsPairOutAndUndoingItPutsItBack() {
        String area = TestInventory.freshAreaCode();
        String number = TestInventory.addNumbers(area, 1).get(0);
        for (int i = 0; i < 3; i++) {
            UUID purchase = UUID.randomUUID();
            TestInventory.reserve(purchase, 13, "short", null, area).then().statusCode(201);
            assertPoolMatches(area, 40); // held for Lyft, offered to the 40 other short services
            KafkaEvents.send(new VerificationCancelled(purchase, UUID.randomUUID(), "v_pool02", 13, "lyft", number, 40,
                    Instant.now(), CancelReason.REPORTED));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "released".equals(ServiceCredentials
                    .internal().get("/internal/reservations/" + purchase).then().extract().path("status")));
            assertPoolMatches(area, i < 2 ? 41 : 40); // back after a report, out for good after the third
        }
        given().auth().oauth2(TestTokens.admin()).delete("/v1/admin/numbers/" + number + "/retirements/13").then()
                .statusCode(204);
        assertPoolMatches(area, 41);
    }

    private void assertPoolMatches(String area, long size) {
        assertEquals(0L, count(POOL_MISMATCHES, area), "short_pool differs from its definition");
        assertEquals(size, count("SELECT count(*) FROM short_pool WHERE area_code = $1", area));
    }

    private long count(String sql, Object arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().indefinitely().iterator().next().getLong(0);
    }
}
