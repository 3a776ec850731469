package com.fetchsms.ingest;

import static com.fetchsms.ingest.Fixtures.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * The body of {@code POST /v1/admin/gateways} is a typed DTO: a missing name (400), a name of the wrong JSON type (400),
 * a blank (422) or too long (422) name each answer a detail naming the field, and none creates a gateway.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class NewGatewayValidationTest {

    @Test
    void aMissingWrongTypedBlankOrLongNameIsRefusedNamingTheFieldAndCreatesNoGateway() {
        long before = Fixtures.count("SELECT count(*) FROM gateway");
        post("{}").statusCode(400).body("detail", equalTo("'name' is required"));
        post("{\"name\": null}").statusCode(400).body("detail", equalTo("'name' is required"));
        post("{\"name\": 42}").statusCode(400).body("detail", equalTo("Field 'name' has the wrong type"));
        post("{\"name\": [\"modem\"]}").statusCode(400).body("detail", equalTo("Field 'name' has the wrong type"));
        post("{\"name\": \"\"}").statusCode(422).body("detail", equalTo("'name' is required"));
        post("{\"name\": \"" + "g".repeat(101) + "\"}").statusCode(422)
                .body("detail", equalTo("'name' is longer than 100 characters"));
        post("{\"name\": \"modem\\u0000one\"}").statusCode(400)
                .body("detail", equalTo("'name' must not contain control characters"));
        post("").statusCode(400).body("detail", equalTo("A JSON body is required: {name}"));
        assertEquals(before, Fixtures.count("SELECT count(*) FROM gateway"));
    }

    private static ValidatableResponse post(String body) {
        return admin().contentType(ContentType.JSON).body(body).post("/v1/admin/gateways").then();
    }
}
