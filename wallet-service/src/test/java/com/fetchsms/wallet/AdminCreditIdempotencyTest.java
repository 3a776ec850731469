package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

/** {@code POST /v1/admin/accounts/{id}/credits} with an Idempotency-Key: a resent credit moves money once. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class AdminCreditIdempotencyTest {

    @Inject
    Pool pool;

    private static Response credit(UUID admin, UUID account, String key, long cents, String reason) {
        var request = given().auth().oauth2(TestTokens.admin(admin)).contentType(ContentType.JSON)
                .body(Map.of("amount_cents", cents, "reason", reason));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.when().post("/v1/admin/accounts/" + account + "/credits");
    }

    private long adjustments(UUID account) {
        return Db.count(pool, """
                SELECT count(*) FROM ledger_entry e JOIN ledger_transaction t ON t.id = e.transaction_id
                JOIN ledger_account a ON a.id = e.ledger_account_id
                WHERE a.account_id = $1 AND t.type = 'adjustment'""", account);
    }

    @Test
    void theSameKeyAndBodyAnswersTheFirstCreditAndMovesMoneyOnce() {
        TestAccounts.TestAccount account = TestAccounts.create();
        UUID admin = UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        Response first = credit(admin, account.id(), key, 700, "goodwill");
        first.then().statusCode(201).body("balance_after_cents", equalTo(700));
        credit(admin, account.id(), key, 700, "  goodwill ").then().statusCode(201)
                .body("id", equalTo(first.path("id")))
                .body("account_id", equalTo(account.id().toString()))
                .body("type", equalTo("adjustment"))
                .body("amount_cents", equalTo(700))
                .body("balance_after_cents", equalTo(700))
                .body("reason", equalTo("goodwill"))
                .body("created_at", equalTo(first.path("created_at")));
        assertEquals(1, adjustments(account.id()));
        assertEquals(700, TestAccounts.balance(account));
        // Another administrator's same key is their own.
        credit(UUID.randomUUID(), account.id(), key, 700, "goodwill").then().statusCode(201)
                .body("balance_after_cents", equalTo(1400));
        assertEquals(2, adjustments(account.id()));
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void theSameKeyWithAnotherAmountReasonOrAccountIs422AndMovesNothing() {
        TestAccounts.TestAccount account = TestAccounts.create();
        TestAccounts.TestAccount other = TestAccounts.create();
        UUID admin = UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        credit(admin, account.id(), key, 500, "goodwill").then().statusCode(201);
        credit(admin, account.id(), key, 600, "goodwill").then().statusCode(422)
                .body("detail", equalTo("This Idempotency-Key was already used with a different request"));
        credit(admin, account.id(), key, 500, "promotion").then().statusCode(422);
        credit(admin, other.id(), key, 500, "goodwill").then().statusCode(422);
        assertEquals(1, adjustments(account.id()));
        assertEquals(0, adjustments(other.id()));
        assertEquals(500, TestAccounts.balance(account));
        assertEquals(0, TestAccounts.balance(other));
    }

    @Test
    void concurrentCreditsWithOneKeyBookOneAdjustment() throws Exception {
        TestAccounts.TestAccount account = TestAccounts.create();
        UUID admin = UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        Set<String> ids = new HashSet<>();
        for (Response answer : Concurrently.call(8, () -> credit(admin, account.id(), key, 300, "double click"))) {
            assertEquals(201, answer.statusCode(), answer.asString());
            ids.add(answer.path("id"));
        }
        assertEquals(1, ids.size(), "one adjustment for every caller: " + ids);
        assertEquals(1, adjustments(account.id()));
        assertEquals(300, TestAccounts.balance(account));
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void aRefusedCreditKeepsNoKeySoItsRetryIsJudgedAgain() {
        TestAccounts.TestAccount account = TestAccounts.create();
        UUID admin = UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        credit(admin, account.id(), key, -100, "correction").then().statusCode(409);
        TestAccounts.credit(account.id(), 100);
        Response retried = credit(admin, account.id(), key, -100, "correction");
        retried.then().statusCode(201).body("balance_after_cents", equalTo(0));
        credit(admin, account.id(), key, -100, "correction").then().statusCode(201)
                .body("id", equalTo(retried.path("id")));
        assertEquals(0, TestAccounts.balance(account));
        assertEquals(1, Db.count(pool, "SELECT count(*) FROM adjustment_request WHERE account_id = $1",
                account.id()), "the refused request left no key behind");
    }

    @Test
    void malformedKeysAre400AndMoveNothing() {
        TestAccounts.TestAccount account = TestAccounts.create();
        UUID admin = UUID.randomUUID();
        for (String bad : List.of("has space", "x".repeat(256), "caf\u00e9", "")) {
            credit(admin, account.id(), bad, 500, "goodwill").then().statusCode(400)
                    .body("detail", containsString("Idempotency-Key"));
        }
        given().auth().oauth2(TestTokens.admin(admin)).contentType(ContentType.JSON)
                .body(Map.of("amount_cents", 500, "reason", "goodwill")).header("Idempotency-Key", "a-1")
                .header("Idempotency-Key", "a-2").when().post("/v1/admin/accounts/" + account.id() + "/credits")
                .then().statusCode(400).body("detail", equalTo("Idempotency-Key must be sent once"));
        assertEquals(0, TestAccounts.balance(account));
        // Without a key every request is a new credit, as before.
        credit(admin, account.id(), null, 100, "a").then().statusCode(201);
        credit(admin, account.id(), null, 100, "a").then().statusCode(201);
        assertEquals(2, adjustments(account.id()));
    }
}
