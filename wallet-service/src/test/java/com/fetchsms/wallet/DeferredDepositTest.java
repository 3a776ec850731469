package com.fetchsms.wallet;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

/** A provider that confirms later, by webhook: the sandbox in deferred mode. */
@QuarkusTest
@TestProfile(DeferredDepositTest.DeferredPayments.class)
@WithTestResource(ServiceTestResource.class)
class DeferredDepositTest {

    public static class DeferredPayments implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fetchsms.wallet.payments.sandbox.mode", "deferred");
        }
    }

    @Inject
    Pool pool;

    @Test
    void aDepositStaysPendingUntilItsSignedConfirmationAndTheSameConfirmationTwiceCreditsOnce() {
        TestAccounts.TestAccount account = TestAccounts.create();
        Response deposit = DepositTest.deposit(account, 1500, "crypto");
        deposit.then().statusCode(201).body("status", equalTo("pending")).body("completed_at", nullValue());
        String id = deposit.path("id");
        assertEquals(0, TestAccounts.balance(account));

        String confirmation = Webhooks.body("payment.succeeded", "sbx_" + id, 1500);
        Webhooks.sendSigned(confirmation).then().statusCode(200).body("id", equalTo(id))
                .body("status", equalTo("completed"));
        Webhooks.sendSigned(confirmation).then().statusCode(200).body("status", equalTo("completed"));
        assertEquals(1500, TestAccounts.balance(account));
        assertEquals(1L, Db.count(pool, "SELECT count(*) FROM ledger_transaction WHERE type = 'deposit' AND ref = $1",
                id));
        io.restassured.RestAssured.given().auth().oauth2(account.token()).when().get("/v1/wallet/deposits/" + id)
                .then().statusCode(200).body("status", equalTo("completed"));
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void forgedStaleOrTamperedConfirmationsAre401AndCreditNothing() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String id = DepositTest.deposit(account, 1000, "card").path("id");
        String body = Webhooks.body("payment.succeeded", "sbx_" + id, 1000);
        long now = System.currentTimeMillis() / 1000;

        Webhooks.send(body, null).then().statusCode(401).body("detail", equalTo("Invalid webhook signature"));
        Webhooks.send(body, Webhooks.signature("not-the-secret", now, body)).then().statusCode(401);
        Webhooks.send(body, Webhooks.signature(Webhooks.SECRET, now - 3600, body)).then().statusCode(401)
                .body("detail", equalTo("Webhook timestamp outside the allowed window"));
        Webhooks.send(Webhooks.body("payment.succeeded", "sbx_" + id, 100000),
                Webhooks.signature(Webhooks.SECRET, now, body)).then().statusCode(401);
        Webhooks.send(body, "t=" + now + ",v1=zz").then().statusCode(401);

        assertEquals(0, TestAccounts.balance(account));
        assertEquals("pending", status(id));
    }

    @Test
    void aSignedNotificationOfTheWrongShapeIsRefusedAndChangesNothing() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String id = DepositTest.deposit(account, 1000, "card").path("id");
        String needs = "A notification needs 'type', 'reference' and 'amount_cents'";
        // an amount as text or with a fraction is no amount: the platform's JSON takes only a JSON integer
        Webhooks.sendSigned("{\"type\":\"payment.succeeded\",\"reference\":\"sbx_" + id
                + "\",\"amount_cents\":\"1000\"}").then().statusCode(400).body("detail", equalTo(needs));
        Webhooks.sendSigned("{\"type\":\"payment.succeeded\",\"reference\":\"sbx_" + id
                + "\",\"amount_cents\":1000.5}").then().statusCode(400).body("detail", equalTo(needs));
        Webhooks.sendSigned("{\"type\":\"payment.succeeded\",\"amount_cents\":1000}").then().statusCode(400)
                .body("detail", equalTo(needs));
        Webhooks.sendSigned("[]").then().statusCode(400).body("detail", equalTo(needs));
        Webhooks.sendSigned("{\"type\":").then().statusCode(400).body("detail", equalTo("Malformed JSON body"));
        Webhooks.sendSigned("{\"reference\":\"sbx_" + id + "\",\"amount_cents\":1000}").then().statusCode(422)
                .body("detail", equalTo("'type' must be payment.succeeded or payment.failed"));
        assertEquals("pending", status(id));
        assertEquals(0, TestAccounts.balance(account));
        // fields a provider adds are ignored
        Webhooks.sendSigned("{\"type\":\"payment.succeeded\",\"reference\":\"sbx_" + id
                + "\",\"amount_cents\":1000,\"livemode\":false}").then().statusCode(200)
                .body("status", equalTo("completed"));
    }

    @Test
    void aConfirmationOfAnotherAmountIsRefusedAndAFailedPaymentCreditsNothing() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String id = DepositTest.deposit(account, 1000, "card").path("id");
        Webhooks.sendSigned(Webhooks.body("payment.succeeded", "sbx_" + id, 999)).then().statusCode(422)
                .body("detail", equalTo("Confirmed amount 999 does not match the deposit's 1000 cents"));
        assertEquals("pending", status(id));

        Webhooks.sendSigned(Webhooks.body("payment.failed", "sbx_" + id, 1000)).then().statusCode(200)
                .body("status", equalTo("failed"));
        Webhooks.sendSigned(Webhooks.body("payment.succeeded", "sbx_" + id, 1000)).then().statusCode(409);
        assertEquals("failed", status(id));
        assertEquals(0, TestAccounts.balance(account));

        Webhooks.sendSigned(Webhooks.body("payment.succeeded", "sbx_unknown", 1000)).then().statusCode(404);
        Webhooks.sendSigned(Webhooks.body("payment.refunded", "sbx_" + id, 1000)).then().statusCode(422);
        io.restassured.RestAssured.given().contentType("application/json").body("{}")
                .when().post("/v1/wallet/deposits/webhooks/stripe").then().statusCode(404)
                .body("detail", equalTo("Unknown payment provider: stripe"));
    }

    private String status(String depositId) {
        return Db.rows(pool, "SELECT status FROM deposit WHERE id = $1", java.util.UUID.fromString(depositId))
                .iterator().next()
                .getString(0);
    }
}
