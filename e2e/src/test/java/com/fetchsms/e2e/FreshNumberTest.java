package com.fetchsms.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

/**
 * A number the operator stocks is usable at once: the modem gateway's first report for it, sent right away and not
 * retried, is accepted even if sms-ingest-service has not yet applied the number's inventory event (it asks
 * catalog-service), and its code reaches the verification waiting on the number.
 */
@Order(25)
class FreshNumberTest extends E2eTest {

    @Test
    void anSmsForANumberStockedAMomentAgoIsAcceptedAtOnceAndReleasesItsCode() {
        Customer customer = world().newCustomer("fresh", 500);
        String number = world().newNumbers("719", 1).get(0); // the only number of its area code
        world().importNumbers(world().modemA, List.of(number));
        JsonPath verification = customer.withKey().body(Map.of("service", 4, "area_code", "719"))
                .post("/verifications").then().statusCode(201).body("ref", startsWith("v_")).extract().jsonPath();
        assertEquals(number, World.e164(verification.getString("number")));

        String code = code(5);
        // the gateway's very first report for the number, once: no waiting for the inventory topic, no retry
        World.postSms(world().modemA.token(), number, "Telegram",
                "Telegram code: " + code
                        + ". Do not give this code to anyone, even if they say they are from Telegram!",
                null).then().statusCode(202).body("outcome", equalTo("accepted")).body("duplicate", equalTo(false));

        JsonPath received = awaitVerification(customer, verification.getString("id"), "received");
        assertEquals(code, received.getString("code"));
        assertEquals(420, customer.balance(), "80 cents (Telegram 70 + area code 10) charged once");
    }
}
