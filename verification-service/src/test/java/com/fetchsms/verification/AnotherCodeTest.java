package com.fetchsms.verification;

import static com.fetchsms.verification.VerificationLifecycleTest.awaitStatus;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.Topics;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * {@code POST /v1/verifications/{id}/another-code} (decision 0021): a verification whose code arrived takes the next
 * code of its number and service that the carrier received after the request and within the window, charged once.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class AnotherCodeTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void theNextCodeAfterTheRequestIsReleasedKeepingTheFirstAndChargingOnce() {
        Fixtures customer = new Fixtures().withBalance(1000);
        JsonPath bought = customer.create(4).then().statusCode(201).body("codes", empty())
                .body("awaiting_another_code", equalTo(false)).extract().jsonPath();
        String id = bought.getString("id");
        String number = bought.getString("number");
        Instant first = Instant.now();
        Fixtures.sms(number, "Telegram", "Telegram code: 111111", "telegram", "111111", first);
        awaitStatus(customer, id, "received");

        customer.as().post(anotherCode(id)).then().statusCode(200).body("status", equalTo("received"))
                .body("code", equalTo("111111")).body("awaiting_another_code", equalTo(true))
                .body("codes.code", equalTo(List.of("111111")));
        String requestedAt = Fixtures.value("SELECT another_code_requested_at FROM verification WHERE id = ?",
                UUID.fromString(id));
        // asking again while waiting changes nothing
        customer.as().post(anotherCode(id)).then().statusCode(200).body("awaiting_another_code", equalTo(true))
                .body("code", equalTo("111111"));
        assertEquals(requestedAt, Fixtures.value(
                "SELECT another_code_requested_at FROM verification WHERE id = ?", UUID.fromString(id)));

        // two codes after the request: the first of them is the new code, the next one finds nothing waiting
        Instant second = Instant.now().plusSeconds(1);
        Fixtures.sms(number, "Telegram", "Telegram code: 222222", "telegram", "222222", second);
        String third = Fixtures.smsEvent(number, "Telegram", "Telegram code: 333333", "telegram", "333333",
                second.plusSeconds(1));
        Fixtures.awaitApplied(third, PATIENCE);

        JsonPath now = customer.get(id).statusCode(200).body("status", equalTo("received"))
                .body("code", equalTo("222222")).body("awaiting_another_code", equalTo(false)).extract()
                .jsonPath();
        assertEquals(List.of("111111", "222222"), now.getList("codes.code"));
        assertEquals(List.of("Telegram", "Telegram"), now.getList("codes.sender"));
        assertEquals("Telegram", Fixtures.value("SELECT sender FROM verification WHERE id = ?", UUID.fromString(id)));
        assertEquals(List.of(Instant.ofEpochSecond(first.getEpochSecond()),
                Instant.ofEpochSecond(second.getEpochSecond())),
                now.getList("codes.received_at", String.class).stream().map(Instant::parse).toList());

        List<KafkaEvents.Received> released = Fixtures.publishedOfKey(Topics.VERIFICATION_RECEIVED, id, PATIENCE);
        assertEquals(List.of("111111", "222222"), released.stream().map(e -> e.data().get("code").asText()).toList(),
                "one verification.received per released code");
        assertEquals("1", Fixtures.stubText("/stub/debits/" + id), "debited once, at the purchase");
        assertEquals(1000 - bought.getInt("cost_cents"), customer.balance());

        // another code may be asked for again, as long as the window is open
        customer.as().post(anotherCode(id)).then().statusCode(200).body("awaiting_another_code", equalTo(true))
                .body("code", equalTo("222222"));
    }

    @Test
    void anSmsTheCarrierReceivedBeforeTheRequestIsNotTheNextCode() {
        Fixtures customer = new Fixtures().withBalance(1000);
        JsonPath bought = customer.create(4).then().statusCode(201).extract().jsonPath();
        String id = bought.getString("id");
        String number = bought.getString("number");
        Fixtures.sms(number, "telegram", "111111", Instant.now());
        awaitStatus(customer, id, "received");

        Instant beforeTheRequest = Instant.now();
        customer.as().post(anotherCode(id)).then().statusCode(200).body("awaiting_another_code", equalTo(true));
        // delivered after the request, received by the carrier before it: not the new code (one number is one key,
        // one partition: it is applied before the next one, which would not be taken if it had been)
        Fixtures.sms(number, "telegram", "444444", beforeTheRequest);
        Fixtures.sms(number, "telegram", "555555", Instant.now().plusSeconds(1));

        await("the new code").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> customer.get(id).extract().<String>path("code"), "555555"::equals);
        customer.get(id).statusCode(200).body("codes.code", equalTo(List.of("111111", "555555")))
                .body("awaiting_another_code", equalTo(false));
    }

    @Test
    void aLongPollIsAnsweredByTheNextCode() throws Exception {
        Fixtures customer = new Fixtures().withBalance(1000);
        JsonPath bought = customer.create(4).then().statusCode(201).extract().jsonPath();
        String id = bought.getString("id");
        String number = bought.getString("number");
        Fixtures.sms(number, "telegram", "111111", Instant.now());
        awaitStatus(customer, id, "received");
        customer.as().post(anotherCode(id)).then().statusCode(200);

        customer.assertALongPollIsAnsweredByTheChange(id,
                () -> Fixtures.sms(number, "telegram", "222222", Instant.now().plusSeconds(1)), "code", "222222");
        customer.get(id).statusCode(200).body("awaiting_another_code", equalTo(false));
    }

    @Test
    void anotherCodeNeedsAFirstCodeAndAnOpenWindowAndLapsesWithoutRefund() {
        Fixtures customer = new Fixtures().withBalance(1000);
        JsonPath lapsing = customer.create(4).then().statusCode(201).extract().jsonPath();
        String id = lapsing.getString("id");
        Fixtures.sms(lapsing.getString("number"), "telegram", "111111", Instant.now());
        // bought after it: it expires (with its event) no earlier than the first one's window closes
        String waiting = customer.create(2).then().statusCode(201).extract().path("id");
        String cancelled = customer.create(4).then().statusCode(201).extract().path("id");
        customer.as().post("/v1/verifications/" + cancelled + "/cancel").then().statusCode(200);
        awaitStatus(customer, id, "received");
        customer.as().post(anotherCode(id)).then().statusCode(200).body("awaiting_another_code", equalTo(true));

        customer.as().post(anotherCode(waiting)).then().statusCode(409).body("detail", equalTo(
                "The verification is still waiting for its first code; another code can be asked for once a code "
                        + "has arrived"));
        customer.as().post(anotherCode(cancelled)).then().statusCode(409)
                .body("detail", equalTo("The verification was cancelled; it can receive no code"));
        new Fixtures().as().post(anotherCode(id)).then().statusCode(404);
        customer.as().post(anotherCode(UUID.randomUUID().toString())).then().statusCode(404);
        customer.as().post(anotherCode("not-an-id")).then().statusCode(404);

        awaitStatus(customer, waiting, "expired");
        KafkaEvents.await(Topics.VERIFICATION_EXPIRED, r -> waiting.equals(r.key()), PATIENCE);
        // the first one's window has closed too: the request lapsed, nothing ended, nothing refunded
        assertTrue(Instant.now().isAfter(Instant.parse(lapsing.getString("expires_at"))));
        customer.get(id).statusCode(200).body("status", equalTo("received")).body("code", equalTo("111111"))
                .body("awaiting_another_code", equalTo(false));
        customer.as().post(anotherCode(id)).then().statusCode(409)
                .body("detail", equalTo("The verification's window has closed; it can receive no other code"));
        assertTrue(Fixtures.publishedOfKey(Topics.VERIFICATION_EXPIRED, id, PATIENCE).isEmpty(), "not expired");
        assertTrue(Fixtures.publishedOfKey(Topics.VERIFICATION_CANCELLED, id, PATIENCE).isEmpty(), "not refunded");
        assertEquals("1", Fixtures.stubText("/stub/debits/" + id));
    }

    private static String anotherCode(String id) {
        return "/v1/verifications/" + id + "/another-code";
    }
}
