package com.fetchsms.rental;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.RentalCancelled;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * {@code GET /v1/rentals/{id}?wait=…} and {@code GET /v1/rentals/{id}/messages?after=…&wait=…}: long polls answered
 * by the change; the checks shared with verifications are the test kit's.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class LongPollTest {

    @Test
    void aLongPollOfAWaitingRentalIsAnsweredByItsFirstMessage() throws Exception {
        Fixtures customer = new Fixtures().withBalance(5000);
        JsonPath rented = customer.rent(1, 7).then().statusCode(201).extract().jsonPath();
        customer.assertALongPollIsAnsweredByTheChange(rented.getString("id"),
                () -> Fixtures.sms(rented.getString("number"), "WhatsApp", "Your WhatsApp code: 821-193", "whatsapp",
                        "821-193", Instant.now()),
                "status", "active");
    }

    @Test
    void aLongPollOfTheMessagesIsAnsweredByTheNextMessageOnly() throws Exception {
        Fixtures customer = new Fixtures().withBalance(5000);
        JsonPath rented = customer.rent(1, 7).then().statusCode(201).extract().jsonPath();
        String id = rented.getString("id");
        String number = rented.getString("number");
        Fixtures.sms(number, "WhatsApp", "Your WhatsApp code: 111-111", "whatsapp", "111-111", Instant.now());
        String first = (String) customer.awaitMessages(id, list -> list.size() == 1, java.time.Duration.ofSeconds(20))
                .get(0).get("id");

        // nothing newer than the message already seen: the long poll waits for the next one
        CompletableFuture<Response> next = customer
                .longPoll("/v1/rentals/" + id + "/messages?after=" + first, 30);
        assertFalse(next.isDone(), "nothing newer than 'after': the long poll waits");
        Fixtures.sms(number, "Telegram", "Telegram code 482910", "telegram", "482910", Instant.now());
        next.get(15, TimeUnit.SECONDS).then().statusCode(200).body("size()", equalTo(2))
                .body("[0].code", equalTo("482910"));

        // a message newer than 'after' already exists: answered at once
        customer.as().queryParam("after", first).queryParam("wait", 30).get("/v1/rentals/" + id + "/messages").then()
                .statusCode(200).body("size()", equalTo(2));
        customer.as().queryParam("before", first).queryParam("wait", 5).get("/v1/rentals/" + id + "/messages").then()
                .statusCode(422)
                .body("detail", equalTo("'wait' asks for the newest messages: it cannot be combined with 'before'"));
    }

    @Test
    void aLongPollEndsWithItsWaitAndAWaitOutOfRangeIsRefused() {
        Fixtures customer = new Fixtures().withBalance(5000);
        String waiting = customer.rent(1, 7).then().statusCode(201).extract().path("id");
        String cancelled = customer.rent(1, 7).then().statusCode(201).extract().path("id");
        customer.as().post("/v1/rentals/" + cancelled + "/cancel").then().statusCode(200);
        customer.assertALongPollEndsWithItsWait(waiting, cancelled);
    }

    @Test
    void aChangeCommittedByAnotherReplicaAnswersTheLongPollThroughItsEvent() throws Exception {
        Fixtures customer = new Fixtures().withBalance(5000);
        JsonPath rented = customer.rent(1, 7).then().statusCode(201).extract().jsonPath();
        UUID id = UUID.fromString(rented.getString("id"));
        customer.assertALongPollIsAnsweredByAnotherReplicasEvent(id.toString(),
                () -> Fixtures.update("UPDATE rental SET status = 'cancelled', ended_at = now() WHERE id = ?", id),
                new RentalCancelled(id, customer.account, rented.getString("ref"),
                        "+1" + rented.getString("number").replaceAll("[^0-9]", ""), 600, Instant.now()),
                "cancelled");
    }
}
