package com.fetchsms.webhook;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * The body of {@code POST /v1/webhooks} is a typed DTO: a missing field, a wrong JSON type, an unknown or empty event
 * list, a too-long and a blank URL are each a 4xx whose detail names the field, and none creates an endpoint.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class CreateEndpointValidationTest {

    private static final String EVENTS = "sms.received, rental.expired";

    @Test
    void aMissingOrBlankUrlIs400NamingTheFieldAndCreatesNoEndpoint() {
        Fixtures customer = new Fixtures();
        post(customer, "{\"events\": [\"sms.received\"]}").statusCode(400).body("detail", equalTo("'url' is required"));
        post(customer, "{\"url\": null}").statusCode(400).body("detail", equalTo("'url' is required"));
        post(customer, "{\"url\": \"   \"}").statusCode(400).body("detail", equalTo("'url' is required"));
        post(customer, "").statusCode(400).body("detail", equalTo("A JSON body is required: {url, events?}"));
        assertNoEndpoint(customer);
    }

    @Test
    void aUrlOrEventsOfTheWrongJsonTypeIs400NamingTheField() {
        Fixtures customer = new Fixtures();
        post(customer, "{\"url\": 42}").statusCode(400).body("detail", equalTo("Field 'url' has the wrong type"));
        post(customer, "{\"url\": \"http://127.0.0.1:9/a\", \"events\": \"sms.received\"}").statusCode(400)
                .body("detail", equalTo("Field 'events' has the wrong type"));
        post(customer, "{\"url\": \"http://127.0.0.1:9/a\", \"events\": [1]}").statusCode(400)
                .body("detail", equalTo("Field 'events[0]' must be one of " + EVENTS));
        post(customer, "{\"url\": \"http://127.0.0.1:9/a\", \"events\": [\"sms.received\", null]}").statusCode(400)
                .body("detail", equalTo("'events[1]' is required"));
        assertNoEndpoint(customer);
    }

    @Test
    void anUnknownOrEmptyEventListOrATooLongUrlIs422NamingTheField() {
        Fixtures customer = new Fixtures();
        post(customer, "{\"url\": \"http://127.0.0.1:9/a\", \"events\": [\"SMS.RECEIVED\"]}").statusCode(422)
                .body("detail", equalTo("'events[0]' must be one of " + EVENTS));
        post(customer, "{\"url\": \"http://127.0.0.1:9/a\", \"events\": []}").statusCode(422)
                .body("detail", equalTo("'events' must name at least one event (or be omitted for all)"));
        post(customer, "{\"url\": \"http://127.0.0.1:9/" + "a".repeat(2040) + "\"}").statusCode(422)
                .body("detail", equalTo("'url' is longer than 2048 characters"));
        assertNoEndpoint(customer);
    }

    @Test
    void eventsAreKeptInOrderWithoutRepeatsAndAllWhenOmitted() {
        Fixtures customer = new Fixtures();
        post(customer, "{\"url\": \"http://127.0.0.1:9/a\", \"events\": [\"rental.expired\", \"sms.received\", "
                + "\"rental.expired\"]}").statusCode(201)
                .body("events", equalTo(List.of("rental.expired", "sms.received")));
        post(customer, "{\"url\": \" http://127.0.0.1:9/b \"}").statusCode(201)
                .body("url", equalTo("http://127.0.0.1:9/b"))
                .body("events", equalTo(List.of("sms.received", "rental.expired")));
    }

    private static ValidatableResponse post(Fixtures customer, String body) {
        return customer.as().contentType(ContentType.JSON).body(body).post("/v1/webhooks").then();
    }

    private static void assertNoEndpoint(Fixtures customer) {
        customer.as().get("/v1/webhooks").then().statusCode(200).body("$", hasSize(0));
    }
}
