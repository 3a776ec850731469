package com.fetchsms.verification;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.VerificationCancelled;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** {@code GET /v1/verifications/{id}?wait=…}: a long poll answered by the change; the checks are the test kit's. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class LongPollTest {

    @Test
    void aLongPollIsAnsweredWhenTheCodeIsReleased() throws Exception {
        Fixtures customer = new Fixtures().withBalance(1000);
        JsonPath bought = customer.create(4).then().statusCode(201).extract().jsonPath();
        customer.assertALongPollIsAnsweredByTheChange(bought.getString("id"),
                () -> Fixtures.sms(bought.getString("number"), "telegram", "482910", Instant.now()), "code",
                "482910");
    }

    @Test
    void aLongPollIsAnsweredWhenTheVerificationIsCancelled() throws Exception {
        Fixtures customer = new Fixtures().withBalance(1000);
        String id = customer.create(4).then().statusCode(201).extract().path("id");
        customer.assertALongPollIsAnsweredByTheChange(id,
                () -> customer.as().post("/v1/verifications/" + id + "/cancel").then().statusCode(200), "status",
                "cancelled");
    }

    @Test
    void aLongPollEndsWithItsWaitAndAWaitOutOfRangeIsRefused() {
        Fixtures customer = new Fixtures().withBalance(1000);
        String waiting = customer.create(4).then().statusCode(201).extract().path("id");
        String cancelled = customer.create(4).then().statusCode(201).extract().path("id");
        customer.as().post("/v1/verifications/" + cancelled + "/cancel").then().statusCode(200);
        customer.assertALongPollEndsWithItsWait(waiting, cancelled);
    }

    @Test
    void aChangeCommittedByAnotherReplicaAnswersTheLongPollThroughItsEvent() throws Exception {
        Fixtures customer = new Fixtures().withBalance(1000);
        JsonPath bought = customer.create(4).then().statusCode(201).extract().jsonPath();
        UUID id = UUID.fromString(bought.getString("id"));
        customer.assertALongPollIsAnsweredByAnotherReplicasEvent(id.toString(),
                () -> Fixtures.update("UPDATE verification SET status = 'cancelled', ended_at = now() WHERE id = ?",
                        id),
                new VerificationCancelled(id, customer.account, bought.getString("ref"), 4, "telegram",
                        "+1" + bought.getString("number").replaceAll("[^0-9]", ""), 70, Instant.now()),
                "cancelled");
    }
}
