package com.fetchsms.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** NUL and broken UTF-16 in a service name or reference are a 4xx naming the field, never a 500. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class HostileTextTest {

    @Test
    void aServiceNameWithANulOrALoneSurrogateIsRefusedNamingTheFieldAndChangesNothing() {
        String before = given().get("/v1/services").then().statusCode(200).extract().path("find { it.id == 43 }.name");
        update(43, "{\"name\": \"Tele\\u0000gram\"}").then().statusCode(400)
                .body("detail", equalTo("'name' must not contain control characters"));
        update(43, "{\"name\": \"Tele\\ud800gram\"}").then().statusCode(400)
                .body("detail", equalTo("'name' is not valid Unicode text (a lone UTF-16 surrogate)"));
        given().get("/v1/services").then().statusCode(200).body("find { it.id == 43 }.name", equalTo(before));
    }

    @Test
    void aServiceReferenceWithANulIsRefusedNamingTheField() {
        given().urlEncodingEnabled(false).queryParam("service", "tele%00gram").queryParam("mode", "short")
                .get("/v1/services/quote").then().statusCode(400)
                .body("detail", equalTo("'service' must not contain control characters"));
        given().urlEncodingEnabled(false).queryParam("service", "x%00y").get("/v1/services/area-codes").then()
                .statusCode(400).body("detail", equalTo("'service' must not contain control characters"));
        UUID purchase = UUID.randomUUID();
        ServiceCredentials.internal().contentType(ContentType.JSON).body("{\"purchase_id\": \"" + purchase
                + "\", \"service\": \"tele\\u0000gram\", \"mode\": \"short\"}").post("/internal/reservations").then()
                .statusCode(400).body("detail", equalTo("'service' must not contain control characters"));
        ServiceCredentials.internal().get("/internal/reservations/" + purchase).then().statusCode(404);
    }

    private static io.restassured.response.Response update(int id, String json) {
        return given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(json)
                .put("/v1/admin/services/" + id);
    }
}
