package com.fetchsms.rental;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** NUL and broken UTF-16 in a service reference are a 4xx naming the field, never a 500, and rent nothing. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class HostileTextTest {

    @Test
    void aServiceReferenceWithANulOrALoneSurrogateIsRefusedNamingTheFieldAndRentsNothing() {
        Fixtures customer = new Fixtures().withBalance(10_000);
        customer.as().contentType(ContentType.JSON).body("{\"service\": \"unlimited\\u0000services\", \"days\": 30}")
                .post("/v1/rentals").then().statusCode(400)
                .body("detail", equalTo("'service' must not contain control characters"));
        customer.as().contentType(ContentType.JSON).body("{\"service\": \"unlimited\\udc00\", \"days\": 30}")
                .post("/v1/rentals").then().statusCode(400)
                .body("detail", equalTo("'service' is not valid Unicode text (a lone UTF-16 surrogate)"));
        customer.as().queryParam("tab", "history").get("/v1/rentals").then().statusCode(200)
                .body("size()", equalTo(0));
        customer.as().get("/v1/rentals").then().statusCode(200).body("size()", equalTo(0));
        assertEquals(10_000, customer.balance());
    }
}
