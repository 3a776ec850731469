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

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class DepositIdempotencyTest {

    @Inject
    Pool pool;

    static Response deposit(TestAccounts.TestAccount account, String key, long cents, String method) {
        var request = given().auth().oauth2(account.token()).contentType(ContentType.JSON)
                .body(Map.of("amount_cents", cents, "method", method));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.when().post("/v1/wallet/deposits");
    }

    private long deposits(TestAccounts.TestAccount account) {
        return Db.count(pool, "SELECT count(*) FROM deposit WHERE account_id = $1", account.id());
    }

    private long depositEntries(TestAccounts.TestAccount account) {
        return Db.count(pool, """
                SELECT count(*) FROM ledger_entry e JOIN ledger_transaction t ON t.id = e.transaction_id
                JOIN ledger_account a ON a.id = e.ledger_account_id
                WHERE a.account_id = $1 AND t.type = 'deposit'""", account.id());
    }

    @Test
    void theSameKeyAndBodyReplaysTheFirstDepositAndCreditsOnce() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String key = "deposit-" + UUID.randomUUID();
        String id = deposit(account, key, 2500, "card").then().statusCode(201).body("status", equalTo("completed"))
                .extract().path("id");
        deposit(account, key, 2500, "card").then().statusCode(201).body("id", equalTo(id))
                .body("status", equalTo("completed")).body("amount_cents", equalTo(2500));
        assertEquals(1, deposits(account));
        assertEquals(2500, TestAccounts.balance(account));
        // Another account's same key is its own.
        TestAccounts.TestAccount other = TestAccounts.create();
        String otherId = deposit(other, key, 2500, "card").then().statusCode(201).extract().path("id");
        assertEquals(false, otherId.equals(id));
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndChangesNothing() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String key = "deposit-" + UUID.randomUUID();
        deposit(account, key, 2500, "card").then().statusCode(201);
        deposit(account, key, 2600, "card").then().statusCode(422)
                .body("detail", equalTo("This Idempotency-Key was already used with a different request"));
        deposit(account, key, 2500, "crypto").then().statusCode(422);
        assertEquals(1, deposits(account));
        assertEquals(2500, TestAccounts.balance(account));
    }

    @Test
    void concurrentRequestsWithOneKeyMakeOneDepositAndOneCredit() throws Exception {
        TestAccounts.TestAccount account = TestAccounts.create();
        String key = "deposit-" + UUID.randomUUID();
        Set<String> ids = new HashSet<>();
        for (Response answer : Concurrently.call(8, () -> deposit(account, key, 1000, "card"))) {
            assertEquals(201, answer.statusCode(), answer.asString());
            ids.add(answer.path("id"));
        }
        assertEquals(1, ids.size(), "one deposit for every caller: " + ids);
        assertEquals(1, deposits(account));
        assertEquals(1, depositEntries(account));
        assertEquals(1000, TestAccounts.balance(account));
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void malformedKeysAre400AndWriteNothing() {
        TestAccounts.TestAccount account = TestAccounts.create();
        for (String bad : List.of("has space", "x".repeat(256), "tab\there", "caf\u00e9", "")) {
            deposit(account, bad, 2500, "card").then().statusCode(400)
                    .body("detail", containsString("Idempotency-Key"));
        }
        // two keys: which one would the retry mean?
        given().auth().oauth2(account.token()).contentType(ContentType.JSON)
                .body(Map.of("amount_cents", 2500, "method", "card")).header("Idempotency-Key", "a-1")
                .header("Idempotency-Key", "a-2").when().post("/v1/wallet/deposits").then().statusCode(400)
                .body("detail", equalTo("Idempotency-Key must be sent once"));
        assertEquals(0, deposits(account));
        // Without a key every request is a new deposit, as before.
        deposit(account, null, 100, "card").then().statusCode(201);
        deposit(account, null, 100, "card").then().statusCode(201);
        assertEquals(2, deposits(account));
    }
}
