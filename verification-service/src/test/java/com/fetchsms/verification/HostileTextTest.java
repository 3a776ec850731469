package com.fetchsms.verification;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** NUL and broken UTF-16 in a service reference are a 4xx naming the field, never a 500, and buy nothing. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class HostileTextTest {

    @Test
    void aServiceReferenceWithANulOrALoneSurrogateIsRefusedNamingTheFieldAndBuysNothing() {
        Fixtures customer = new Fixtures().withBalance(500);
        customer.as().contentType(ContentType.JSON).body("{\"service\": \"tele\\u0000gram\"}")
                .post("/v1/verifications").then().statusCode(400)
                .body("detail", equalTo("'service' must not contain control characters"));
        customer.as().contentType(ContentType.JSON).body("{\"service\": \"tele\\ud800gram\"}")
                .post("/v1/verifications").then().statusCode(400)
                .body("detail", equalTo("'service' is not valid Unicode text (a lone UTF-16 surrogate)"));
        customer.as().queryParam("tab", "history").get("/v1/verifications").then().statusCode(200)
                .body("size()", equalTo(0));
        customer.as().get("/v1/verifications").then().statusCode(200).body("size()", equalTo(0));
        assertEquals(500, customer.balance());
    }
}
