package com.fetchsms.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.Topics;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class AdminNumbersTest {

    @Inject
    Pool pool;

    @Test
    void importIsIdempotentAndPublishesEachNewNumberOnce() {
        String area = TestInventory.freshAreaCode();
        String first = "+1" + area + "5550100";
        String second = "(" + area + ") 555-0101";
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("gateway_id", TestInventory.GATEWAY.toString(), "numbers", List.of(first, second, first)))
                .when().post("/v1/admin/numbers").then().statusCode(201)
                .body("added", equalTo(2)).body("skipped", equalTo(1));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("gateway_id", TestInventory.GATEWAY.toString(), "numbers", List.of(first)))
                .when().post("/v1/admin/numbers").then().statusCode(201)
                .body("added", equalTo(0)).body("skipped", equalTo(1));

        given().auth().oauth2(TestTokens.admin()).queryParam("area_code", area).when().get("/v1/admin/numbers")
                .then().statusCode(200).body("", hasSize(2))
                .body("[0].number", equalTo(first))
                .body("[0].display", equalTo("(" + area + ") 555-0100"))
                .body("[0].state", equalTo("available"))
                .body("[0].pristine", equalTo(true))
                .body("[0].gateway_id", equalTo(TestInventory.GATEWAY.toString()));

        KafkaEvents.Received event = KafkaEvents.await(Topics.INVENTORY_NUMBERS, r -> first.equals(r.key()),
                Duration.ofSeconds(20));
        assertEquals("fetchsms.inventory.number-changed.v1", event.type());
        assertEquals("/fetchsms/catalog-service", event.source());
        assertEquals("available", event.data().path("state").asText(), "record: " + event);
        assertEquals(TestInventory.GATEWAY.toString(), event.data().get("gateway_id").asText());
        assertEquals(area, event.data().get("area_code").asText());
        assertEquals(1, TestInventory.publishedOfKey(pool, Topics.INVENTORY_NUMBERS, first).size(),
                "one event per added number, none for the skipped re-import");
    }

    @Test
    void anInvalidNumberRejectsTheWholeImport() {
        String area = TestInventory.freshAreaCode();
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("gateway_id", TestInventory.GATEWAY.toString(),
                        "numbers", List.of("+1" + area + "5550100", "+44 20 7946 0958")))
                .when().post("/v1/admin/numbers").then().statusCode(422)
                .body("detail", containsString("+44 20 7946 0958"));
        assertEquals(0L, count("SELECT count(*) FROM phone_number WHERE area_code = $1", area));

        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("gateway_id", "not-a-uuid", "numbers", List.of("+1" + area + "5550100")))
                .when().post("/v1/admin/numbers").then().statusCode(400)
                .body("detail", equalTo("Field 'gateway_id' has the wrong type"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("gateway_id", TestInventory.GATEWAY.toString(), "numbers", List.of()))
                .when().post("/v1/admin/numbers").then().statusCode(400);
    }

    @Test
    void skippingInvalidEntriesImportsTheValidNumbersAndListsTheOthersAsGivenInRequestOrder() {
        String area = TestInventory.freshAreaCode();
        String known = "+1" + area + "5550100";
        String fresh = "+1" + area + "5550101";
        String freshSpelledOtherwise = "(" + area + ") 555-0102";
        String fresh2 = "+1" + area + "5550102";
        importNumbers(Map.of("gateway_id", TestInventory.GATEWAY.toString(), "numbers", List.of(known)))
                .statusCode(201).body("added", equalTo(1)).body("$", not(hasKey("invalid")));

        importNumbers(Map.of("gateway_id", TestInventory.GATEWAY.toString(), "invalid", "skip", "numbers",
                List.of("hello", known, fresh, " 555 ", freshSpelledOtherwise, "+44 20 7946 0958", fresh, "hello")))
                .statusCode(201)
                .body("added", equalTo(2))
                // the number already in the inventory, and the repeated one; never the invalid entries
                .body("skipped", equalTo(2))
                .body("invalid", equalTo(List.of("hello", " 555 ", "+44 20 7946 0958", "hello")));

        assertEquals(List.of(known, fresh, fresh2), numbersOf(area));
        for (String added : List.of(fresh, fresh2)) {
            assertEquals(1, TestInventory.publishedOfKey(pool, Topics.INVENTORY_NUMBERS, added).size(),
                    "one event per added number");
        }
        assertEquals(1, TestInventory.publishedOfKey(pool, Topics.INVENTORY_NUMBERS, known).size(),
                "none for the number that was already known");
    }

    @Test
    void skippingWhenEveryEntryIsValidListsNoInvalidEntryAndRefusingIsTheDefault() {
        String area = TestInventory.freshAreaCode();
        String first = "+1" + area + "5550100";
        importNumbers(Map.of("gateway_id", TestInventory.GATEWAY.toString(), "invalid", "skip", "numbers",
                List.of(first))).statusCode(201)
                .body("added", equalTo(1)).body("skipped", equalTo(0)).body("invalid", equalTo(List.of()));

        // refuse, named or not: one invalid entry refuses the whole request, and the answer has no 'invalid'
        for (Map<String, Object> body : List.<Map<String, Object>>of(
                Map.of("gateway_id", TestInventory.GATEWAY.toString(), "invalid", "refuse", "numbers",
                        List.of("+1" + area + "5550101", "hello", "555")),
                Map.of("gateway_id", TestInventory.GATEWAY.toString(), "numbers",
                        List.of("+1" + area + "5550101", "hello", "555")))) {
            importNumbers(body).statusCode(422)
                    .body("detail", equalTo("Not US numbers in E.164 (+1NXXNXXXXXX): hello, 555"));
        }
        importNumbers(Map.of("gateway_id", TestInventory.GATEWAY.toString(), "invalid", "refuse", "numbers",
                List.of("+1" + area + "5550101"))).statusCode(201)
                .body("added", equalTo(1)).body("$", not(hasKey("invalid")));
        assertEquals(List.of(first, "+1" + area + "5550101"), numbersOf(area));
    }

    @Test
    void skippingWhenNoEntryIsANumberAddsNothingAndListsThemAll() {
        long numbers = count("SELECT count(*) FROM phone_number", null);
        importNumbers(Map.of("gateway_id", TestInventory.GATEWAY.toString(), "invalid", "skip", "numbers",
                List.of("hello", "+1 (111) 555-0100"))).statusCode(201)
                .body("added", equalTo(0)).body("skipped", equalTo(0))
                .body("invalid", equalTo(List.of("hello", "+1 (111) 555-0100")));
        assertEquals(numbers, count("SELECT count(*) FROM phone_number", null));
    }

    @Test
    void theImportCapCountsEveryEntryInvalidOnesIncluded() {
        String area = TestInventory.freshAreaCode();
        String valid = "+1" + area + "5550100";
        List<String> overCap = new ArrayList<>(Collections.nCopies(10_000, "x"));
        overCap.add(valid);
        importNumbers(Map.of("gateway_id", TestInventory.GATEWAY.toString(), "invalid", "skip", "numbers", overCap))
                .statusCode(422).body("detail", equalTo("At most 10000 numbers per request"));
        assertEquals(List.of(), numbersOf(area));

        List<String> atCap = new ArrayList<>(Collections.nCopies(9_999, "x"));
        atCap.add(valid);
        importNumbers(Map.of("gateway_id", TestInventory.GATEWAY.toString(), "invalid", "skip", "numbers", atCap))
                .statusCode(201).body("added", equalTo(1)).body("skipped", equalTo(0))
                .body("invalid.size()", equalTo(9_999));
        assertEquals(List.of(valid), numbersOf(area));
    }

    @Test
    void adminRoutesNeedAnAdminSession() {
        given().when().get("/v1/admin/numbers").then().statusCode(401).body("detail", containsString("credential"));
        given().auth().oauth2(TestTokens.user(UUID.randomUUID())).when().get("/v1/admin/numbers").then()
                .statusCode(403).body("detail", equalTo("This credential is not allowed to use this endpoint"));
        // an API key is never an admin credential; an unknown one is not a credential at all (ApiKeyViewTest: a
        // valid key is answered 403)
        given().auth().oauth2("fsk_live_0123456789abcdef0123456789abcdef").when().get("/v1/admin/numbers").then()
                .statusCode(401).body("detail", equalTo("Invalid or revoked API key"));
        given().auth().oauth2(TestTokens.expired(UUID.randomUUID())).when().get("/v1/admin/numbers").then()
                .statusCode(401);
        given().auth().oauth2("not.a.jwt").when().put("/v1/admin/services/4").then().statusCode(401);
    }

    @Test
    void retiringANumberTakesItOutForGoodButNotWhileItIsHeld() {
        String area = TestInventory.freshAreaCode();
        List<String> numbers = TestInventory.addNumbers(area, 2);
        UUID purchase = UUID.randomUUID();
        TestInventory.reserve(purchase, 4, "short", null, area).then().statusCode(201);
        String held = count("SELECT count(*) FROM reservation WHERE number = $1 AND status = 'active'",
                numbers.get(0)) == 1 ? numbers.get(0) : numbers.get(1);
        String free = held.equals(numbers.get(0)) ? numbers.get(1) : numbers.get(0);

        given().auth().oauth2(TestTokens.admin()).when().delete("/v1/admin/numbers/" + held).then().statusCode(409)
                .body("detail", containsString("held by 1 active purchase"));
        given().auth().oauth2(TestTokens.admin()).when().delete("/v1/admin/numbers/" + free).then().statusCode(204);
        given().auth().oauth2(TestTokens.admin()).when().delete("/v1/admin/numbers/" + free).then().statusCode(204);
        given().auth().oauth2(TestTokens.admin()).when().delete("/v1/admin/numbers/+12025550199").then()
                .statusCode(404);

        given().auth().oauth2(TestTokens.admin()).queryParam("state", "retired").queryParam("area_code", area)
                .when().get("/v1/admin/numbers").then().statusCode(200).body("number", equalTo(List.of(free)));
        // a retired number is never re-imported
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("gateway_id", TestInventory.GATEWAY.toString(), "numbers", List.of(free)))
                .when().post("/v1/admin/numbers").then().statusCode(201).body("skipped", equalTo(1));
        // nor offered: the second verification of the same service finds no number left
        TestInventory.reserve(UUID.randomUUID(), 4, "short", null, area).then().statusCode(409);
        KafkaEvents.Received retired = KafkaEvents.await(Topics.INVENTORY_NUMBERS,
                r -> free.equals(r.key()) && "retired".equals(r.data().get("state").asText()), Duration.ofSeconds(20));
        assertEquals(area, retired.data().get("area_code").asText());
    }

    @Test
    void listingValidatesItsFilters() {
        given().auth().oauth2(TestTokens.admin()).queryParam("state", "lost").when().get("/v1/admin/numbers").then()
                .statusCode(422).body("detail", containsString("'state' must be one of"));
        given().auth().oauth2(TestTokens.admin()).queryParam("area_code", "12").when().get("/v1/admin/numbers")
                .then().statusCode(422);
        given().auth().oauth2(TestTokens.admin()).queryParam("limit", "0").when().get("/v1/admin/numbers").then()
                .statusCode(422);
    }

    private long count(String sql, Object arg) {
        return pool.preparedQuery(sql).execute(arg == null ? Tuple.tuple() : Tuple.of(arg)).await().indefinitely()
                .iterator().next().getLong(0);
    }

    private List<String> numbersOf(String area) {
        List<String> numbers = new ArrayList<>();
        pool.preparedQuery("SELECT number FROM phone_number WHERE area_code = $1 ORDER BY number")
                .execute(Tuple.of(area)).await().indefinitely().forEach(row -> numbers.add(row.getString(0)));
        return numbers;
    }

    private static ValidatableResponse importNumbers(Map<String, Object> body) {
        return given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/admin/numbers").then();
    }
}
