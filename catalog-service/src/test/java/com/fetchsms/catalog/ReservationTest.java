package com.fetchsms.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class ReservationTest {

    @Test
    void aShortReservationHoldsANumberAndPricesThePurchase() {
        String area = TestInventory.freshAreaCode();
        TestInventory.addNumbers(area, 1);
        UUID purchase = UUID.randomUUID();
        TestInventory.reserve(purchase, "telegram", "short", null, area).then().statusCode(201)
                .body("purchase_id", equalTo(purchase.toString()))
                .body("number", startsWith("+1" + area))
                .body("display", startsWith("(" + area + ") 555-"))
                .body("service_id", equalTo(4))
                .body("service", equalTo("telegram"))
                .body("service_name", equalTo("Telegram"))
                .body("mode", equalTo("short"))
                .body("price_cents", equalTo(80))
                .body("status", equalTo("active"));
    }

    @Test
    void theSamePurchaseAgainAnswersTheFirstReservationAndADifferentOneIsAConflict() {
        String area = TestInventory.freshAreaCode();
        TestInventory.addNumbers(area, 3);
        UUID purchase = UUID.randomUUID();
        String number = TestInventory.reserve(purchase, 2, "short", null, area).then().statusCode(201)
                .extract().path("number");
        TestInventory.reserve(purchase, 2, "short", null, area).then().statusCode(200)
                .body("number", equalTo(number));
        TestInventory.reserve(purchase, "whatsapp", "short", null, area).then().statusCode(200)
                .body("number", equalTo(number));
        TestInventory.reserve(purchase, 4, "short", null, area).then().statusCode(409)
                .body("detail", containsString("already holds a different reservation"));
    }

    @Test
    void aNumberHoldsOneReservationPerServiceAndServesSeveralServicesAtOnce() {
        String area = TestInventory.freshAreaCode();
        List<String> numbers = TestInventory.addNumbers(area, 1);
        TestInventory.reserve(UUID.randomUUID(), 2, "short", null, area).then().statusCode(201)
                .body("number", equalTo(numbers.get(0)));
        TestInventory.reserve(UUID.randomUUID(), 2, "short", null, area).then().statusCode(409)
                .body("detail", containsString("Out of stock"));
        TestInventory.reserve(UUID.randomUUID(), 4, "short", null, area).then().statusCode(201)
                .body("number", equalTo(numbers.get(0)));
    }

    @Test
    void aNumberIsNeverOfferedAgainForAServiceItDeliveredACodeFor() {
        String area = TestInventory.freshAreaCode();
        TestInventory.addNumbers(area, 1);
        UUID first = UUID.randomUUID();
        TestInventory.reserve(first, 5, "short", null, area).then().statusCode(201);
        ServiceCredentials.internal().post("/internal/reservations/" + first + "/complete").then().statusCode(200)
                .body("status", equalTo("completed"));
        TestInventory.reserve(UUID.randomUUID(), 5, "short", null, area).then().statusCode(409);

        UUID other = UUID.randomUUID();
        TestInventory.reserve(other, 6, "short", null, area).then().statusCode(201);
        ServiceCredentials.internal().post("/internal/reservations/" + other + "/release").then().statusCode(200)
                .body("status", equalTo("released"));
        ServiceCredentials.internal().post("/internal/reservations/" + other + "/release").then().statusCode(200)
                .body("status", equalTo("released"));
        // released without a code: the number may serve that service again
        TestInventory.reserve(UUID.randomUUID(), 6, "short", null, area).then().statusCode(201);
    }

    @Test
    void rentalsTakeOnlyPristineNumbersExclusivelyAndGiveThemBackUsed() {
        String area = TestInventory.freshAreaCode();
        List<String> numbers = TestInventory.addNumbers(area, 2);
        // a verification makes one number non-pristine (and short reservations prefer the used ones)
        TestInventory.reserve(UUID.randomUUID(), 2, "short", null, area).then().statusCode(201);
        UUID rental = UUID.randomUUID();
        String rented = TestInventory.reserve(rental, 1, "long", 30, area).then().statusCode(201)
                .body("mode", equalTo("long")).body("days", equalTo(30)).body("price_cents", equalTo(1210))
                .extract().path("number");
        TestInventory.reserve(UUID.randomUUID(), "unlimited-services", "long", 7, area).then().statusCode(409);
        // while rented, no verification of any service gets it
        TestInventory.reserve(UUID.randomUUID(), 3, "short", null, area).then().statusCode(201)
                .body("number", equalTo(numbers.get(0).equals(rented) ? numbers.get(1) : numbers.get(0)));
        TestInventory.reserve(UUID.randomUUID(), 3, "short", null, area).then().statusCode(409);

        ServiceCredentials.internal().post("/internal/reservations/" + rental + "/release").then().statusCode(200);
        TestInventory.reserve(UUID.randomUUID(), 3, "short", null, area).then().statusCode(201)
                .body("number", equalTo(rented));
        TestInventory.reserve(UUID.randomUUID(), 1, "long", 1, area).then().statusCode(409);
    }

    @Test
    void aPriceAboveTheBuyersCapIsRefusedWithThePriceAndHoldsNothing() {
        String area = TestInventory.freshAreaCode();
        List<String> numbers = TestInventory.addNumbers(area, 1);
        UUID refused = UUID.randomUUID();
        // telegram is 70 cents, and 10 for the area code
        TestInventory.reserve(refused, 4, "short", null, area, 79).then().statusCode(409)
                .body("detail", equalTo("The current price is 80 cents, above 'max_price_cents' (79); nothing was "
                        + "charged"))
                .body("price_cents", equalTo(80));
        ServiceCredentials.internal().get("/internal/reservations/" + refused).then().statusCode(404);
        // the number is still free: a cap equal to the price takes it
        TestInventory.reserve(UUID.randomUUID(), 4, "short", null, area, 80).then().statusCode(201)
                .body("number", equalTo(numbers.get(0))).body("price_cents", equalTo(80));

        // a rental (a pristine number of its own): the refusal names the price of the term, which then buys
        String rentalArea = TestInventory.freshAreaCode();
        List<String> pristine = TestInventory.addNumbers(rentalArea, 1);
        int rentalPrice = TestInventory.reserve(UUID.randomUUID(), 1, "long", 30, rentalArea, 1).then()
                .statusCode(409).body("detail", containsString("above 'max_price_cents' (1)"))
                .extract().path("price_cents");
        TestInventory.reserve(UUID.randomUUID(), 1, "long", 30, rentalArea, rentalPrice).then().statusCode(201)
                .body("number", equalTo(pristine.get(0))).body("price_cents", equalTo(rentalPrice));
    }

    @Test
    void aCapThatIsNotAPositiveNumberOfCentsIsRefusedNamingIt() {
        String area = TestInventory.freshAreaCode();
        TestInventory.addNumbers(area, 1);
        TestInventory.reserve(UUID.randomUUID(), 4, "short", null, area, 0).then().statusCode(422)
                .body("detail", containsString("'max_price_cents'"));
        TestInventory.reserve(UUID.randomUUID(), 4, "short", null, area, "80").then().statusCode(400)
                .body("detail", containsString("'max_price_cents'"));
        TestInventory.reserve(UUID.randomUUID(), 4, "short", null, area).then().statusCode(201)
                .body("number", equalTo("+1" + area + "5550000"));
    }

    @Test
    void invalidReservationsChangeNothing() {
        String area = TestInventory.freshAreaCode();
        TestInventory.addNumbers(area, 1);
        TestInventory.reserve(UUID.randomUUID(), 1, "long", 14, area).then().statusCode(422)
                .body("detail", containsString("Unsupported duration"));
        TestInventory.reserve(UUID.randomUUID(), 999, "short", null, area).then().statusCode(404);
        TestInventory.reserve(UUID.randomUUID(), 4, "long", 30, area).then().statusCode(404);
        TestInventory.reserve(UUID.randomUUID(), 4, "short", null, "33").then().statusCode(422);
        TestInventory.reserve(UUID.randomUUID(), 4.5, "short", null, area).then().statusCode(400);
        ServiceCredentials.internal().contentType(ContentType.JSON).body("{\"service\": 4, \"mode\": \"short\"}")
                .post("/internal/reservations").then().statusCode(400).body("detail", containsString("purchase_id"));
        ServiceCredentials.internal().post("/internal/reservations/not-a-uuid/release").then().statusCode(404);
        ServiceCredentials.internal().post("/internal/reservations/" + UUID.randomUUID() + "/release").then()
                .statusCode(404);
        // the one number is still pristine: nothing above touched it
        String number = TestInventory.reserve(UUID.randomUUID(), 1, "long", 1, area).then().statusCode(201)
                .extract().path("number");
        assertNotEquals(null, number);
        assertEquals("+1" + area + "5550000", number);
    }
}
