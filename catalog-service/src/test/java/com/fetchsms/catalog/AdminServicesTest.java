package com.fetchsms.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class AdminServicesTest {

    @Test
    void anAdminChangesAPriceAndTheQuoteFollows() {
        update(41, Map.of("price_cents", 35)).then().statusCode(200)
                .body("id", equalTo(41)).body("slug", equalTo("twitch")).body("price_cents", equalTo(35))
                .body("active", equalTo(true));
        given().queryParam("service", 41).queryParam("mode", "short").get("/v1/services/quote").then()
                .statusCode(200).body("total_cents", equalTo(35));
        update(41, Map.of("name", "Twitch TV")).then().statusCode(200).body("name", equalTo("Twitch TV"))
                .body("price_cents", equalTo(35));
    }

    @Test
    void aDeactivatedServiceDisappearsFromTheCatalogAndCannotBeBought() {
        update(42, Map.of("active", false)).then().statusCode(200).body("active", equalTo(false));
        given().get("/v1/services").then().statusCode(200).body("slug", not(hasItem("nike")));
        given().queryParam("service", "nike").queryParam("mode", "short").get("/v1/services/quote").then()
                .statusCode(404);
        update(42, Map.of("active", true)).then().statusCode(200);
        given().get("/v1/services").then().statusCode(200).body("slug", hasItem("nike"));
    }

    @Test
    void invalidUpdatesAreRefusedAndChangeNothing() {
        update(40, Map.of("price_cents", 0)).then().statusCode(422).body("detail", containsString("price_cents"));
        update(40, Map.of("name", " ")).then().statusCode(422);
        update(40, Map.of("price_cents", "cheap")).then().statusCode(400)
                .body("detail", equalTo("Field 'price_cents' must be an integer number of cents"));
        update(9999, Map.of("price_cents", 10)).then().statusCode(404);
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(Map.of("price_cents", 10))
                .put("/v1/admin/services/abc").then().statusCode(404);
        given().queryParam("service", 40).queryParam("mode", "short").get("/v1/services/quote").then()
                .statusCode(200).body("total_cents", equalTo(25));
    }

    private static io.restassured.response.Response update(int id, Map<String, Object> body) {
        return given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(body)
                .put("/v1/admin/services/" + id);
    }
}
