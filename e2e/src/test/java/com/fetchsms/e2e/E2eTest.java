package com.fetchsms.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Base of every scenario: the shared stack (started once, {@link StackExtension}) and a few helpers. */
@ExtendWith(StackExtension.class)
abstract class E2eTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Codes arrive in seconds; Kafka hops between services on a loaded machine are given this long. */
    static final Duration ASYNC = Duration.ofSeconds(30);

    private static final List<WebhookReceiver> RECEIVERS = new java.util.ArrayList<>();

    /** A local webhook receiver, closed after the test class that opened it. */
    static WebhookReceiver webhookReceiver() {
        WebhookReceiver receiver = new WebhookReceiver();
        synchronized (RECEIVERS) {
            RECEIVERS.add(receiver);
        }
        return receiver;
    }

    @AfterAll
    static void closeWebhookReceivers() {
        synchronized (RECEIVERS) {
            RECEIVERS.forEach(WebhookReceiver::close);
            RECEIVERS.clear();
        }
    }

    static World world() {
        return StackExtension.world();
    }

    /** A fresh numeric code of {@code digits} digits (each SMS of the run is different, as real ones are). */
    static String code(int digits) {
        StringBuilder code = new StringBuilder().append(1 + RANDOM.nextInt(9));
        while (code.length() < digits) {
            code.append(RANDOM.nextInt(10));
        }
        return code.toString();
    }

    /** Polls {@code GET /v1/verifications/{id}} with the customer's API key until its status is {@code status}. */
    static JsonPath awaitVerification(Customer customer, String id, String status) {
        return Poll.until("verification " + id + " to be " + status, ASYNC,
                () -> customer.withKey().get("/verifications/{id}", id),
                r -> r.statusCode() == 200 && status.equals(r.jsonPath().getString("status"))).jsonPath();
    }

    /** Waits until the customer's ledger holds a refund of the purchase {@code ref}; returns it. */
    static Customer.LedgerItem awaitRefund(Customer customer, String ref) {
        return Poll.until("a refund of " + ref + " in " + customer + "'s ledger", ASYNC,
                () -> customer.ledger().stream().filter(i -> i.type().equals("refund") && ref.equals(i.ref()))
                        .findFirst(),
                Optional::isPresent).orElseThrow();
    }

    /**
     * An error answer as the API reference defines it: the status and a JSON body with a single field, {@code detail}.
     * Returns the detail.
     */
    static String assertError(Response response, int status) {
        response.then().statusCode(status);
        Map<String, Object> body = response.jsonPath().getMap("$");
        assertNotNull(body, "a JSON body: " + response.asString());
        assertEquals(List.of("detail"), List.copyOf(body.keySet()), "a single field, detail: " + body);
        String detail = String.valueOf(body.get("detail"));
        assertFalse(detail.isBlank(), "a detail that says what went wrong");
        return detail;
    }
}
