package com.fetchsms.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

/**
 * Cancel → refund: a waiting verification is cancelled and its charge comes back, once, visible in the wallet's
 * ledger under the verification's ref. An {@code Idempotency-Key} retry charges once.
 */
@Order(30)
class CancelRefundTest extends E2eTest {

    static Customer buyer;

    @BeforeAll
    static void signUp() {
        buyer = world().newCustomer("buyer", 500);
    }

    @Test
    @Order(1)
    void cancelARetriedPurchaseAndGetTheMoneyBack() {
        // A client retries its request (timeout, say) with the same Idempotency-Key: one verification, one debit.
        JsonPath first = buyer.withKey().header("Idempotency-Key", "order-42").body(Map.of("service", "telegram"))
                .post("/verifications").then().statusCode(201).body("status", equalTo("waiting"))
                .body("cost_cents", equalTo(70)).extract().jsonPath();
        String id = first.getString("id");
        String ref = first.getString("ref");
        buyer.withKey().header("Idempotency-Key", "order-42").body(Map.of("service", "telegram"))
                .post("/verifications").then().body("id", equalTo(id)).body("ref", equalTo(ref));
        assertError(buyer.withKey().header("Idempotency-Key", "order-42").body(Map.of("service", 2))
                .post("/verifications"), 422);
        assertEquals(430, buyer.balance(), "charged once");

        List<Customer.LedgerItem> ledger = buyer.ledger();
        assertEquals(List.of("debit", "deposit"), ledger.stream().map(Customer.LedgerItem::type).toList());
        assertEquals(ref, ledger.get(0).ref(), "the debit carries the verification's ref");
        assertEquals(-70, ledger.get(0).amountCents());
        assertEquals(430, ledger.get(0).balanceAfterCents());

        buyer.withKey().post("/verifications/{id}/cancel", id).then().statusCode(200)
                .body("status", equalTo("cancelled")).body("code", nullValue());
        // Cancelling twice answers the cancelled verification.
        buyer.withKey().post("/verifications/{id}/cancel", id).then().statusCode(200)
                .body("status", equalTo("cancelled"));

        Customer.LedgerItem refund = awaitRefund(buyer, ref);
        assertEquals(70, refund.amountCents());
        assertEquals(500, refund.balanceAfterCents());
        assertEquals(500, buyer.balance());
        assertEquals(1, buyer.ledger().stream().filter(i -> i.type().equals("refund")).count(), "refunded once");

        buyer.withKey().queryParam("tab", "active").get("/verifications").then().statusCode(200)
                .body("id", not(hasItem(id)));
        buyer.withKey().queryParam("tab", "history").get("/verifications").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.status", equalTo("cancelled"));
    }
}
