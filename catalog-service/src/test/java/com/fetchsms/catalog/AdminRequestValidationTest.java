package com.fetchsms.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The bodies of the catalog's admin routes are typed DTOs: a missing field, a wrong JSON type, a value out of range and
 * a blank text are each a 4xx whose detail names the field as clients spell it, and none changes the catalog or the
 * inventory.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class AdminRequestValidationTest {

    @Inject
    Pool pool;

    @Test
    void aServiceUpdateOfTheWrongTypeOutOfRangeOrBlankIsRefusedNamingTheFieldAndChangesNothing() {
        Map<String, Object> before = service(38);
        update(38, "{\"price_cents\": 25.5}").statusCode(400)
                .body("detail", equalTo("Field 'price_cents' must be an integer number of cents"));
        update(38, "{\"price_cents\": 99999999999}").statusCode(422)
                .body("detail", equalTo("Field 'price_cents' is out of range"));
        update(38, "{\"price_cents\": 1000001}").statusCode(422)
                .body("detail", equalTo("'price_cents' must be between 1 and 1000000"));
        update(38, "{\"active\": \"yes\"}").statusCode(400).body("detail",
                equalTo("Field 'active' has the wrong type"));
        update(38, "{\"active\": 1}").statusCode(400).body("detail", equalTo("Field 'active' has the wrong type"));
        update(38, "{\"name\": 7}").statusCode(400).body("detail", equalTo("Field 'name' has the wrong type"));
        update(38, "{\"name\": \"  \"}").statusCode(422).body("detail", equalTo("'name' must be 1 to 80 characters"));
        update(38, "{\"name\": \"" + "n".repeat(81) + "\"}").statusCode(422)
                .body("detail", equalTo("'name' must be 1 to 80 characters"));
        update(38, "").statusCode(400)
                .body("detail", equalTo("A JSON body is required: {name?, price_cents?, active?}"));
        assertEquals(before, service(38));
    }

    @Test
    void aNumberImportWithAMissingWrongTypedOrBlankFieldIsRefusedNamingItAndAddsNoNumber() {
        String area = TestInventory.freshAreaCode();
        String number = "+1" + area + "5550100";
        String gateway = TestInventory.GATEWAY.toString();
        importNumbers("{\"numbers\": [\"" + number + "\"]}").statusCode(400)
                .body("detail", equalTo("'gateway_id' is required"));
        importNumbers("{\"gateway_id\": \"" + gateway + "\"}").statusCode(400)
                .body("detail", equalTo("'numbers' must list at least one number"));
        importNumbers("{\"gateway_id\": \"" + gateway + "\", \"numbers\": []}").statusCode(400)
                .body("detail", equalTo("'numbers' must list at least one number"));
        importNumbers("{\"gateway_id\": \"" + gateway + "\", \"numbers\": \"" + number + "\"}").statusCode(400)
                .body("detail", equalTo("Field 'numbers' has the wrong type"));
        importNumbers("{\"gateway_id\": \"" + gateway + "\", \"numbers\": [\"" + number + "\", 12125550100]}")
                .statusCode(400).body("detail", equalTo("Field 'numbers[1]' has the wrong type"));
        importNumbers("{\"gateway_id\": \"" + gateway + "\", \"numbers\": [\"" + number + "\", null]}")
                .statusCode(400).body("detail", equalTo("'numbers[1]' is required"));
        importNumbers("{\"gateway_id\": 42, \"numbers\": [\"" + number + "\"]}").statusCode(400)
                .body("detail", equalTo("Field 'gateway_id' has the wrong type"));
        importNumbers("{\"gateway_id\": \"" + gateway + "\", \"numbers\": [\"   \"]}").statusCode(400)
                .body("detail", equalTo("'numbers[0]' is required"));
        assertEquals(0L, pool.preparedQuery("SELECT count(*) FROM phone_number WHERE area_code = $1")
                .execute(Tuple.of(area)).await().indefinitely().iterator().next().getLong(0));
    }

    @Test
    void aNumberImportWithAnUnknownOrWrongTypedInvalidOptionIsRefusedNamingItAndAddsNoNumber() {
        String area = TestInventory.freshAreaCode();
        String number = "+1" + area + "5550100";
        String gateway = TestInventory.GATEWAY.toString();
        for (String option : List.of("\"ignore\"", "\"SKIP\"", "\"skipped\"", "\"\"")) {
            importNumbers("{\"gateway_id\": \"" + gateway + "\", \"numbers\": [\"" + number + "\", \"hello\"], "
                    + "\"invalid\": " + option + "}").statusCode(422)
                    .body("detail", equalTo("'invalid' must be one of refuse, skip"));
        }
        for (String option : List.of("true", "1", "[\"skip\"]", "{\"skip\": true}")) {
            importNumbers("{\"gateway_id\": \"" + gateway + "\", \"numbers\": [\"" + number + "\"], "
                    + "\"invalid\": " + option + "}").statusCode(400)
                    .body("detail", equalTo("Field 'invalid' must be one of refuse, skip"));
        }
        assertEquals(0L, pool.preparedQuery("SELECT count(*) FROM phone_number WHERE area_code = $1")
                .execute(Tuple.of(area)).await().indefinitely().iterator().next().getLong(0));
    }

    private static Map<String, Object> service(int id) {
        return given().auth().oauth2(TestTokens.admin()).get("/v1/services").then().statusCode(200).extract()
                .jsonPath().getMap("find { it.id == " + id + " }");
    }

    private static ValidatableResponse update(int id, String body) {
        return given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(body)
                .put("/v1/admin/services/" + id).then();
    }

    private static ValidatableResponse importNumbers(String body) {
        return given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(body)
                .post("/v1/admin/numbers").then();
    }
}
