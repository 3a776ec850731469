package com.fetchsms.rental;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.Topics;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.PurchaseCustomer;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * {@code POST /v1/rentals/{id}/report} (decision 0021): a rental that has received nothing, in its first hour (5 s in
 * tests, {@code fetchsms.rental.report-window}), is cancelled as reported and refunded once; the shared checks are the
 * test kit's.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class RentalReportTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @ConfigProperty(name = "fetchsms.rental.report-window")
    Duration reportWindow;

    private Fixtures customer;

    @Test
    void aReportInTheFirstHourCancelsTheRentalAsReportedAndRefundsItOnce() {
        customer = new Fixtures().withBalance(5000);
        customer.assertAReportCancelsAsReportedAndRefundsOnce((c, key) -> c.rent(1, 7, null, key),
                Topics.RENTAL_CANCELLED);
    }

    @Test
    void aReportIsCheckedBeforeItCancels() {
        customer = new Fixtures().withBalance(5000);
        String id = customer.rent(1, 7).then().statusCode(201).extract().path("id");
        customer.assertAReportIsCheckedBeforeItCancels(id);
    }

    @Test
    void afterTheFirstHourARentalCannotBeReportedButCanStillBeCancelled() {
        customer = new Fixtures().withBalance(5000);
        JsonPath rented = customer.rent(1, 7).then().statusCode(201).extract().jsonPath();
        String id = rented.getString("id");
        // the rental's first hour (the test profile's report window) is over: bought that long ago, plus a second
        PurchaseCustomer.update(
                "UPDATE rental SET created_at = created_at - make_interval(secs => ?) WHERE id = ?::uuid",
                reportWindow.toSeconds() + 1.0, id);

        customer.report(id, "never worked").then().statusCode(409).body("detail", equalTo(
                "A rental can be reported only within 5 seconds of its purchase; this one is older (it can still be "
                        + "cancelled while it has received nothing)"));
        customer.as().post("/v1/rentals/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled")).body("cancel_reason", equalTo("customer"));
        customer.report(id, null).then().statusCode(409).body("detail",
                equalTo("The rental was already cancelled (and refunded); it can no longer be reported"));
    }

    @Test
    void aRentalThatReceivedAnSmsCannotBeReported() {
        customer = new Fixtures().withBalance(5000);
        JsonPath rented = customer.rent(1, 7).then().statusCode(201).extract().jsonPath();
        String id = rented.getString("id");
        Fixtures.sms(rented.getString("number"), "ACME", "Your ACME code is 5512", null, "5512", Instant.now());
        customer.awaitStatus(id, "active", PATIENCE);
        customer.report(id, "too late").then().statusCode(409)
                .body("detail", equalTo("This rental has already received an SMS; it cannot be reported"));
        customer.as().get("/v1/rentals/" + id).then().body("status", equalTo("active"))
                .body("cancel_reason", nullValue());
    }

    /** Gives the test's numbers back as catalog-service does when a rental ends, for the other tests. */
    @AfterEach
    void releaseNumbers() {
        if (customer == null) {
            return;
        }
        List<String> ids = new ArrayList<>(
                customer.as().queryParam("tab", "history").get("/v1/rentals").then().statusCode(200)
                        .extract().jsonPath().getList("id", String.class));
        ids.addAll(customer.as().get("/v1/rentals").then().statusCode(200).extract().jsonPath().getList("id",
                String.class));
        ids.forEach(Fixtures::releaseAtCatalog);
    }
}
