package com.fetchsms.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class AvailabilityTest {

    @Test
    void stockFollowsTheInventoryAndItsReservations() {
        JsonPath before = given().get("/v1/services").then().statusCode(200).extract().jsonPath();
        String area = TestInventory.freshAreaCode();
        TestInventory.addNumbers(area, 3);
        JsonPath added = given().get("/v1/services").then().statusCode(200).extract().jsonPath();
        assertEquals(stock(before, "whatsapp") + 3, stock(added, "whatsapp"));
        assertEquals(stock(before, "telegram") + 3, stock(added, "telegram"));
        assertEquals(longStock(before) + 3, longStock(added));
        assertEquals(0, stock(added, "unlimited-services"), "the rental product is not sold short");

        // a verification holds one number for WhatsApp only, and the number is no longer pristine
        UUID verification = UUID.randomUUID();
        TestInventory.reserve(verification, 2, "short", null, area).then().statusCode(201);
        // a rental takes one number from every service
        TestInventory.reserve(UUID.randomUUID(), 1, "long", 30, area).then().statusCode(201);
        JsonPath held = given().get("/v1/services").then().statusCode(200).extract().jsonPath();
        assertEquals(stock(added, "whatsapp") - 2, stock(held, "whatsapp"));
        assertEquals(stock(added, "telegram") - 1, stock(held, "telegram"));
        assertEquals(longStock(added) - 2, longStock(held));
        assertEquals(longStock(held), held.getLong("find { it.slug == 'whatsapp' }.long_available"));
    }

    @Test
    void areaCodesListWhereStockIsPerModeAndService() {
        String area = TestInventory.freshAreaCode();
        TestInventory.addNumbers(area, 1);
        given().get("/v1/services/area-codes").then().statusCode(200).body("", hasItem(area));
        given().queryParam("mode", "long").get("/v1/services/area-codes").then().statusCode(200)
                .body("", hasItem(area));

        TestInventory.reserve(UUID.randomUUID(), 2, "short", null, area).then().statusCode(201);
        given().queryParam("mode", "short").queryParam("service", 2).get("/v1/services/area-codes").then()
                .statusCode(200).body("", not(hasItem(area)));
        given().queryParam("mode", "short").queryParam("service", "telegram").get("/v1/services/area-codes").then()
                .statusCode(200).body("", hasItem(area));
        given().queryParam("mode", "long").get("/v1/services/area-codes").then().statusCode(200)
                .body("", not(hasItem(area)));

        given().queryParam("mode", "forever").get("/v1/services/area-codes").then().statusCode(422)
                .body("detail", containsString("'mode'"));
        given().queryParam("service", "nope").get("/v1/services/area-codes").then().statusCode(404);
    }

    private static long stock(JsonPath services, String slug) {
        return services.getLong("find { it.slug == '" + slug + "' }.short_available");
    }

    private static long longStock(JsonPath services) {
        return services.getLong("find { it.slug == 'unlimited-services' }.long_available");
    }
}
