package com.fetchsms.rental;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The body of {@code POST /v1/rentals} is a typed DTO: a missing field, a wrong JSON type, a term that is not sold and a
 * blank text are each a 4xx whose detail names the field as clients spell it, and none rents anything.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class CreateRequestValidationTest {

    private static final String DAYS_REQUIRED = "'days' is required: one of 1, 7, 30, 90, 365";
    private static final String SERVICE_REQUIRED = "'service' is required: the long-term product id 1 (or its slug \"unlimited-services\")";

    @Inject
    Pool pool;

    @Test
    void aMissingServiceOrTermIs400NamingEachFieldAndRentsNothing() {
        Fixtures customer = new Fixtures().withBalance(1000);
        long held = Fixtures.heldNumbers();
        post(customer, "{\"service\": 1}").statusCode(400).body("detail", equalTo(DAYS_REQUIRED));
        post(customer, "{\"days\": 30}").statusCode(400).body("detail", equalTo(SERVICE_REQUIRED));
        post(customer, "{}").statusCode(400).body("detail", equalTo(DAYS_REQUIRED + "; " + SERVICE_REQUIRED));
        post(customer, "").statusCode(400).body("detail",
                equalTo("A JSON body is required: {\"service\": 1, \"days\": 30}"));
        assertNothingRented(customer, held);
    }

    @Test
    void aTermOfTheWrongJsonTypeIs400NamingTheField() {
        Fixtures customer = new Fixtures().withBalance(1000);
        long held = Fixtures.heldNumbers();
        for (String days : new String[]{"30.5", "\"30\"", "true", "[30]", "30.0"}) {
            post(customer, "{\"service\": 1, \"days\": " + days + "}").statusCode(400)
                    .body("detail",
                            equalTo("Field 'days' must be an integer number of days: one of 1, 7, 30, 90, 365"));
        }
        post(customer, "{\"service\": 1, \"days\": 30, \"area_code\": 415}").statusCode(400)
                .body("detail", equalTo("Field 'area_code' must be a string of 3 digits, e.g. \"332\""));
        post(customer, "{\"service\": 1.0, \"days\": 30}").statusCode(400)
                .body("detail", equalTo("Field 'service' must be a service id (integer) or slug (string)"));
        assertNothingRented(customer, held);
    }

    @Test
    void aTermThatIsNotSoldOrOutOfRangeIs422NamingTheField() {
        Fixtures customer = new Fixtures().withBalance(1000);
        long held = Fixtures.heldNumbers();
        for (int days : new int[]{0, -30, 14, 366}) {
            post(customer, "{\"service\": 1, \"days\": " + days + "}").statusCode(422)
                    .body("detail", equalTo("'days' must be one of 1, 7, 30, 90, 365 (" + days + " days is not sold)"));
        }
        post(customer, "{\"service\": 1, \"days\": 99999999999}").statusCode(422)
                .body("detail", equalTo("Field 'days' is out of range"));
        post(customer, "{\"service\": 1, \"days\": 30, \"area_code\": \"41\"}").statusCode(422)
                .body("detail", equalTo("'area_code' must be a 3-digit US area code, e.g. \"332\""));
        assertNothingRented(customer, held);
    }

    @Test
    void aBlankServiceIsMissing() {
        Fixtures customer = new Fixtures().withBalance(1000);
        long held = Fixtures.heldNumbers();
        post(customer, "{\"service\": \"  \", \"days\": 30}").statusCode(400).body("detail", equalTo(SERVICE_REQUIRED));
        post(customer, "{\"service\": \"\", \"days\": 14}").statusCode(400)
                .body("detail", equalTo("'days' must be one of 1, 7, 30, 90, 365 (14 days is not sold); "
                        + SERVICE_REQUIRED));
        assertNothingRented(customer, held);
    }

    private static ValidatableResponse post(Fixtures customer, String body) {
        return customer.as().contentType(ContentType.JSON).body(body).post("/v1/rentals").then();
    }

    private void assertNothingRented(Fixtures customer, long heldBefore) {
        assertEquals(0L, pool.preparedQuery("SELECT count(*) FROM rental WHERE account_id = $1")
                .execute(Tuple.of(customer.account)).await().indefinitely().iterator().next().getLong(0));
        assertEquals(1000, customer.balance());
        assertEquals(heldBefore, Fixtures.heldNumbers(), "no number is held");
    }
}
