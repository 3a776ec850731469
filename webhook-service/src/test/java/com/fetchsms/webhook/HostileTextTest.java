package com.fetchsms.webhook;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** NUL and broken UTF-16 in an endpoint's URL or events are a 4xx with a detail, never a 500, and store nothing. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class HostileTextTest {

    @Test
    void aUrlWithANulOrALoneSurrogateIsRefusedNamingTheFieldAndCreatesNoEndpoint() {
        Fixtures customer = new Fixtures();
        customer.as().contentType(ContentType.JSON).body("{\"url\": \"http://127.0.0.1:9/ho\\u0000ok\"}")
                .post("/v1/webhooks").then().statusCode(400)
                .body("detail", equalTo("'url' must not contain control characters"));
        customer.as().contentType(ContentType.JSON).body("{\"url\": \"http://127.0.0.1:9/ho\\ud800ok\"}")
                .post("/v1/webhooks").then().statusCode(400)
                .body("detail", equalTo("'url' is not valid Unicode text (a lone UTF-16 surrogate)"));
        customer.as().get("/v1/webhooks").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void anUnknownEventWithALoneSurrogateIsRefusedWithAReadableDetail() {
        Fixtures customer = new Fixtures();
        customer.as().contentType(ContentType.JSON)
                .body("{\"url\": \"http://127.0.0.1:9/hook\", \"events\": [\"sms.\\ud800\"]}")
                .post("/v1/webhooks").then().statusCode(422)
                .body("detail", equalTo("'events[0]' must be one of "
                        + String.join(", ", com.fetchsms.webhook.domain.WebhookEvents.SUBSCRIBABLE)));
        customer.as().get("/v1/webhooks").then().statusCode(200).body("$", hasSize(0));
    }
}
