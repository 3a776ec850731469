package com.fetchsms.verification;

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
 * The body of {@code POST /v1/verifications} is a typed DTO: a missing field, a wrong JSON type, an unacceptable value
 * and a blank text are each a 4xx whose detail names the field as clients spell it, and none buys anything.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class CreateRequestValidationTest {

    @Inject
    Pool pool;

    @Test
    void aMissingServiceIs400NamingTheFieldAndBuysNothing() {
        Fixtures customer = new Fixtures().withBalance(1000);
        post(customer, "{\"area_code\": \"332\"}").statusCode(400)
                .body("detail", equalTo("'service' is required: a service id (e.g. 4) or slug (e.g. \"telegram\")"));
        post(customer, "{\"service\": null}").statusCode(400)
                .body("detail", equalTo("'service' is required: a service id (e.g. 4) or slug (e.g. \"telegram\")"));
        post(customer, "").statusCode(400).body("detail",
                equalTo("A JSON body is required: {\"service\": <id or slug>}"));
        assertNothingBought(customer);
    }

    @Test
    void aServiceOrAreaCodeOfTheWrongJsonTypeIs400NamingTheField() {
        Fixtures customer = new Fixtures().withBalance(1000);
        for (String service : new String[]{"4.5", "true", "[4]", "{\"id\": 4}", "0", "-4", "99999999999"}) {
            post(customer, "{\"service\": " + service + "}").statusCode(400)
                    .body("detail", equalTo("Field 'service' must be a service id (integer) or slug (string)"));
        }
        post(customer, "{\"service\": 4, \"area_code\": 332}").statusCode(400)
                .body("detail", equalTo("Field 'area_code' must be a string of 3 digits, e.g. \"332\""));
        assertNothingBought(customer);
    }

    @Test
    void anAreaCodeThatIsNoUsAreaCodeIs422NamingTheFieldAndALongSlugIs400() {
        Fixtures customer = new Fixtures().withBalance(1000);
        for (String areaCode : new String[]{"33", "3320", "abc", "011", ""}) {
            post(customer, "{\"service\": 4, \"area_code\": \"" + areaCode + "\"}").statusCode(422)
                    .body("detail", equalTo("'area_code' must be a 3-digit US area code, e.g. \"332\""));
        }
        post(customer, "{\"service\": \"" + "s".repeat(65) + "\"}").statusCode(400)
                .body("detail", equalTo("'service' must be a service id (integer) or slug (string)"));
        assertNothingBought(customer);
    }

    @Test
    void aBlankServiceIsMissingAndEveryBrokenFieldIsNamedOnce() {
        Fixtures customer = new Fixtures().withBalance(1000);
        post(customer, "{\"service\": \"   \"}").statusCode(400)
                .body("detail", equalTo("'service' is required: a service id (e.g. 4) or slug (e.g. \"telegram\")"));
        post(customer, "{\"service\": \"\", \"area_code\": \"33\"}").statusCode(400)
                .body("detail", equalTo("'area_code' must be a 3-digit US area code, e.g. \"332\"; "
                        + "'service' is required: a service id (e.g. 4) or slug (e.g. \"telegram\")"));
        assertNothingBought(customer);
    }

    @Test
    void aSlugIsReadTrimmedAndInLowerCase() {
        Fixtures customer = new Fixtures().withBalance(1000);
        post(customer, "{\"service\": \"  TeleGram \"}").statusCode(201).body("service", equalTo("telegram"))
                .body("status", equalTo("waiting"));
    }

    private static ValidatableResponse post(Fixtures customer, String body) {
        return customer.as().contentType(ContentType.JSON).body(body).post("/v1/verifications").then();
    }

    private void assertNothingBought(Fixtures customer) {
        assertEquals(0L, pool.preparedQuery("SELECT count(*) FROM verification WHERE account_id = $1")
                .execute(Tuple.of(customer.account)).await().indefinitely().iterator().next().getLong(0));
        assertEquals(1000, customer.balance());
    }
}
