package com.fetchsms.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Who may do what: another account's verification, rental, webhook and support ticket are 404; dashboard routes
 * (support tickets included) refuse API keys (403), admin routes refuse customers (403); no or a revoked credential
 * is 401, and a revoked key stops working within a second or so everywhere.
 */
@Order(40)
class AccessControlTest extends E2eTest {

    static Customer alice;
    static Customer bob;
    static WebhookReceiver hooks;
    static String verificationId;
    static String rentalId;
    static String webhookId;
    static String ticketId;

    @BeforeAll
    static void twoAccounts() {
        alice = world().newCustomer("alice", 2000);
        bob = world().newCustomer("bob", 300);
        world().importNumbers(world().modemA, world().newNumbers("646", 1));
        hooks = webhookReceiver();
        verificationId = alice.withKey().body(Map.of("service", 3)).post("/verifications").then().statusCode(201)
                .extract().path("id");
        rentalId = alice.withKey().body(Map.of("service", 1, "days", 30, "area_code", "646")).post("/rentals").then()
                .statusCode(201).body("cost_cents", equalTo(1210)).extract().path("id");
        webhookId = alice.withSession().body(Map.of("url", hooks.url())).post("/webhooks").then().statusCode(201)
                .extract().path("id");
        ticketId = alice.withSession().body(Map.of("subject", "Access control", "body", "A ticket of Alice's"))
                .post("/support/tickets").then().statusCode(201).body("status", equalTo("open")).extract().path("id");
    }

    @Test
    @Order(1)
    void anotherAccountsResourcesAreNotFound() {
        for (RequestSpecification asBob : List.of(bob.withKey(), bob.withSession())) {
            assertError(asBob.get("/verifications/{id}", verificationId), 404);
        }
        assertError(bob.withKey().post("/verifications/{id}/cancel", verificationId), 404);
        assertError(bob.withKey().get("/rentals/{id}", rentalId), 404);
        assertError(bob.withKey().get("/rentals/{id}/messages", rentalId), 404);
        assertError(bob.withKey().post("/rentals/{id}/cancel", rentalId), 404);
        assertError(bob.withSession().get("/webhooks/{id}/deliveries", webhookId), 404);
        assertError(bob.withSession().post("/webhooks/{id}/test", webhookId), 404);
        assertError(bob.withSession().delete("/webhooks/{id}", webhookId), 404);
        assertError(bob.withSession().get("/support/tickets/{id}", ticketId), 404);
        assertError(bob.withSession().body(Map.of("body", "Let me in")).post("/support/tickets/{id}/messages",
                ticketId), 404);
        assertError(bob.withSession().post("/support/tickets/{id}/close", ticketId), 404);
        bob.withKey().queryParam("tab", "active").get("/verifications").then().statusCode(200)
                .body("id", not(hasItem(verificationId)));
        bob.withKey().get("/rentals").then().statusCode(200).body("id", not(hasItem(rentalId)));
        bob.withSession().get("/webhooks").then().statusCode(200).body("id", not(hasItem(webhookId)));
        bob.withSession().get("/support/tickets").then().statusCode(200).body("id", not(hasItem(ticketId)));

        // Nothing of Alice's changed.
        alice.withKey().get("/verifications/{id}", verificationId).then().statusCode(200)
                .body("status", equalTo("waiting"));
        alice.withKey().get("/rentals/{id}", rentalId).then().statusCode(200).body("status", equalTo("waiting"));
        alice.withSession().get("/webhooks").then().statusCode(200).body("id", hasItem(webhookId));
        alice.withSession().get("/support/tickets/{id}", ticketId).then().statusCode(200)
                .body("status", equalTo("open")).body("messages.size()", equalTo(1));
    }

    @Test
    @Order(2)
    void dashboardRoutesRefuseApiKeys() {
        String keyId = alice.withSession().get("/api-keys").then().statusCode(200).extract().path("[0].id");
        List<Response> answers = List.of(
                alice.withKey().get("/account"),
                alice.withKey().get("/api-keys"),
                alice.withKey().body(Map.of("name", "from a key")).post("/api-keys"),
                alice.withKey().delete("/api-keys/{id}", keyId),
                alice.withKey().get("/wallet"),
                alice.withKey().get("/wallet/ledger"),
                alice.withKey().body(Map.of("amount_cents", 1000, "method", "card")).post("/wallet/deposits"),
                alice.withKey().get("/webhooks"),
                alice.withKey().body(Map.of("url", hooks.url())).post("/webhooks"),
                alice.withKey().delete("/webhooks/{id}", webhookId),
                alice.withKey().body(Map.of("subject", "From a key", "body", "Hello")).post("/support/tickets"),
                alice.withKey().get("/support/tickets"),
                alice.withKey().get("/support/tickets/{id}", ticketId),
                alice.withKey().body(Map.of("body", "From a key")).post("/support/tickets/{id}/messages", ticketId),
                alice.withKey().post("/support/tickets/{id}/close", ticketId));
        answers.forEach(answer -> assertError(answer, 403));
        // The key did not slip through anywhere: still one key, one endpoint, the same balance.
        alice.withSession().get("/api-keys").then().statusCode(200).body("size()", equalTo(1));
        alice.withSession().get("/webhooks").then().statusCode(200).body("size()", equalTo(1));
        alice.withSession().get("/support/tickets").then().statusCode(200).body("id", equalTo(List.of(ticketId)))
                .body("[0].status", equalTo("open"));
        assertEquals(2000 - 60 - 1210, alice.balance());
    }

    @Test
    @Order(3)
    void adminRoutesRefuseCustomers() {
        for (RequestSpecification customer : List.of(alice.withSession(), alice.withKey())) {
            assertError(customer.get("/admin/gateways"), 403);
        }
        for (RequestSpecification customer : List.of(alice.withSession(), alice.withKey())) {
            assertError(customer.body(Map.of("gateway_id", world().modemA.id(), "numbers", List.of("+13325559999")))
                    .post("/admin/numbers"), 403);
        }
        assertError(alice.withSession().get("/admin/accounts"), 403);
        for (String credential : List.of(alice.session, alice.apiKey)) {
            assertError(World.as(credential).get("/admin/support/tickets"), 403);
            assertError(World.as(credential).get("/admin/support/tickets/{id}", ticketId), 403);
            assertError(World.as(credential).body(Map.of("body", "I am the operator"))
                    .post("/admin/support/tickets/{id}/messages", ticketId), 403);
            assertError(World.as(credential).post("/admin/support/tickets/{id}/close", ticketId), 403);
        }
        assertError(alice.withSession().body(Map.of("price_cents", 1)).put("/admin/services/4"), 403);
        // A modem gateway's token is no session at all.
        assertError(World.as(world().modemA.token()).get("/admin/gateways"), 401);
        // And a customer's key is no gateway token.
        assertError(World.postSms(alice.apiKey, "+13325550101", "Telegram", "Telegram code: 12345", null), 401);
        // The administrator sees the accounts with their balances.
        world().admin().queryParam("email", alice.email).get("/admin/accounts").then().statusCode(200)
                .body("[0].id", equalTo(alice.id)).body("[0].balance_cents", equalTo((int) alice.balance()));
        // The operators see Alice's ticket, still open and unanswered, with her email.
        world().admin().get("/admin/support/tickets/{id}", ticketId).then().statusCode(200)
                .body("status", equalTo("open")).body("email", equalTo(alice.email))
                .body("messages.author", equalTo(List.of("customer")));
    }

    @Test
    @Order(4)
    void noCredentialIsUnauthorized() {
        assertError(World.anonymous().get("/verifications"), 401);
        assertError(World.anonymous().body(Map.of("service", 1, "days", 7)).post("/rentals"), 401);
        assertError(World.anonymous().get("/wallet"), 401);
        assertError(World.anonymous().get("/api-keys"), 401);
        assertError(World.anonymous().get("/webhooks"), 401);
        assertError(World.anonymous().get("/admin/numbers"), 401);
        assertError(World.postSms("fgw_not-a-token", "+13325550101", "Telegram", "Telegram code: 12345", null), 401);
        assertError(World.as("fsk_not-a-key").get("/verifications/{id}", verificationId), 401);
    }

    @Test
    @Order(5)
    void aRevokedKeyStopsWorking() {
        Customer.ApiKey second = alice.createApiKey("ci");
        World.as(second.key()).get("/verifications/{id}", verificationId).then().statusCode(200);
        World.as(second.key()).get("/rentals/{id}", rentalId).then().statusCode(200);

        assertError(bob.withSession().delete("/api-keys/{id}", second.id()), 404);
        alice.withSession().delete("/api-keys/{id}", second.id()).then().statusCode(204);
        alice.withSession().delete("/api-keys/{id}", second.id()).then().statusCode(204); // idempotent

        for (String path : List.of("/verifications/" + verificationId, "/rentals/" + rentalId)) {
            Response refused = Poll.until("the revoked key to be refused on " + path, ASYNC,
                    () -> World.as(second.key()).get(path), r -> r.statusCode() == 401);
            assertError(refused, 401);
        }
        assertError(World.as(second.key()).body(Map.of("service", 4)).post("/verifications"), 401);
        alice.withSession().get("/api-keys").then().statusCode(200)
                .body("find { it.id == '" + second.id() + "' }.revoked_at", notNullValue());
        // The other key is untouched.
        alice.withKey().get("/verifications/{id}", verificationId).then().statusCode(200);
        assertError(alice.withKey().get("/verifications/{id}", UUID.randomUUID()), 404);
    }
}
