package com.fetchsms.verification;

import static com.fetchsms.verification.VerificationLifecycleTest.awaitStatus;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.Topics;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.PurchaseCustomer;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * {@code POST /v1/verifications/{id}/report} (decision 0021): a verification still waiting for its code, within its
 * window, is cancelled as reported and refunded once; the shared checks are the test kit's.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class ReportTest {

    @Test
    void aReportOfAWaitingVerificationCancelsItAsReportedAndRefundsItOnce() {
        Fixtures customer = new Fixtures().withBalance(1000);
        customer.assertAReportCancelsAsReportedAndRefundsOnce((c, key) -> c.create(4, null, key),
                Topics.VERIFICATION_CANCELLED);
    }

    @Test
    void aReportIsCheckedBeforeItCancels() {
        Fixtures customer = new Fixtures().withBalance(1000);
        String id = customer.create(4).then().statusCode(201).extract().path("id");
        customer.assertAReportIsCheckedBeforeItCancels(id);
    }

    @Test
    void aVerificationWithACodeOrAClosedWindowCannotBeReported() {
        Fixtures customer = new Fixtures().withBalance(1000);
        JsonPath coded = customer.create(4).then().statusCode(201).extract().jsonPath();
        JsonPath late = customer.create(2).then().statusCode(201).extract().jsonPath();
        Fixtures.sms(coded.getString("number"), "telegram", "482910", Instant.now());
        awaitStatus(customer, coded.getString("id"), "received");
        customer.report(coded.getString("id"), "wrong code").then().statusCode(409).body("detail",
                equalTo("The code has already been received; a verification with a code cannot be reported"));
        customer.get(coded.getString("id")).statusCode(200).body("status", equalTo("received"))
                .body("cancel_reason", nullValue());

        // its window closes now: the verification's end moved into the past, as if the time had passed
        PurchaseCustomer.update("UPDATE verification SET expires_at = now() - interval '1 second' WHERE id = ?::uuid",
                late.getString("id"));
        customer.report(late.getString("id"), null).then().statusCode(409).body("detail",
                anyOf(equalTo("The verification's window has closed; it is refunded when it expires"),
                        equalTo("The verification has expired (and was refunded)")));
        awaitStatus(customer, late.getString("id"), "expired");
        customer.report(late.getString("id"), null).then().statusCode(409)
                .body("detail", equalTo("The verification has expired (and was refunded)"));
    }

    @Test
    void aLongPollIsAnsweredByTheReport() throws Exception {
        Fixtures customer = new Fixtures().withBalance(1000);
        String id = customer.create(4).then().statusCode(201).extract().path("id");
        customer.assertALongPollIsAnsweredByTheChange(id,
                () -> customer.report(id, "silent number").then().statusCode(200), "cancel_reason", "reported");
    }
}
