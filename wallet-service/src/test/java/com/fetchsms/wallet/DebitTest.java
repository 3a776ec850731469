package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.Topics;
import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class DebitTest {

    @Inject
    Pool pool;

    @Test
    void aDebitTakesTheAmountAndBooksBothSidesWithoutAnEventByDefault() {
        TestAccounts.TestAccount account = TestAccounts.funded(1000);
        UUID purchase = UUID.randomUUID();
        Response debit = TestAccounts.debit(purchase, account.id(), 140, "v_8R3p2K");
        debit.then().statusCode(201)
                .body("purchase_id", equalTo(purchase.toString()))
                .body("account_id", equalTo(account.id().toString()))
                .body("amount_cents", equalTo(140))
                .body("balance_after_cents", equalTo(860))
                .body("transaction_id", notNullValue())
                .body("created_at", notNullValue());
        UUID transaction = UUID.fromString(debit.path("transaction_id"));
        assertEquals(860, TestAccounts.balance(account));
        assertBothSides(pool, transaction, 140);
        // fetchsms.wallet.debit-events is off by default: nothing for the outbox (DebitEventsTest turns it on)
        assertEquals(List.of(), Db.publishedOfKey(pool, Topics.WALLET_DEBITED, account.id().toString()));
        Db.assertLedgerConsistent(pool);
    }

    /** The debit's ledger transaction: the wallet's entry of −amount and the revenue's of +amount. */
    static void assertBothSides(Pool pool, UUID transaction, long amount) {
        List<Long> amounts = new ArrayList<>();
        for (Row row : Db.rows(pool, """
                SELECT a.kind, e.amount_cents FROM ledger_entry e JOIN ledger_account a ON a.id = e.ledger_account_id
                WHERE e.transaction_id = $1 ORDER BY a.kind DESC""", transaction)) {
            amounts.add(row.getLong("amount_cents"));
            assertEquals(row.getLong("amount_cents") < 0 ? "wallet" : "revenue", row.getString("kind"));
        }
        assertEquals(List.of(-amount, amount), amounts);
    }

    @Test
    void aRetriedDebitAnswersTheFirstOneAndDebitsOnce() {
        TestAccounts.TestAccount account = TestAccounts.funded(1000);
        UUID purchase = UUID.randomUUID();
        String first = TestAccounts.debit(purchase, account.id(), 300, "r_K9m2Lp").then().statusCode(201).extract()
                .body().asString();
        String again = TestAccounts.debit(purchase, account.id(), 300, "r_K9m2Lp").then().statusCode(200).extract()
                .body().asString();
        assertEquals(first, again);
        assertEquals(700, TestAccounts.balance(account));
        assertEquals(1L, Db.count(pool, "SELECT count(*) FROM debit WHERE purchase_id = $1", purchase));
    }

    @Test
    void retriesOfOnePurchaseRacingEachOtherDebitOnce() throws Exception {
        TestAccounts.TestAccount account = TestAccounts.funded(1000);
        UUID purchase = UUID.randomUUID();
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> TestAccounts.debit(purchase, account.id(), 100));
        }
        List<Integer> statuses = race(calls);
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(19, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(900, TestAccounts.balance(account));
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void retriesRacingTheDebitThatEmptiesTheWalletReplayItInsteadOfAnswering402() throws Exception {
        TestAccounts.TestAccount account = TestAccounts.funded(100);
        UUID purchase = UUID.randomUUID();
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> TestAccounts.debit(purchase, account.id(), 100));
        }
        List<Integer> statuses = race(calls);
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(19, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(0, TestAccounts.balance(account));
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void thePurchaseIdWithAnotherAmountOrAccountIs409() {
        TestAccounts.TestAccount account = TestAccounts.funded(1000);
        TestAccounts.TestAccount other = TestAccounts.funded(1000);
        UUID purchase = UUID.randomUUID();
        TestAccounts.debit(purchase, account.id(), 100).then().statusCode(201);
        TestAccounts.debit(purchase, account.id(), 200).then().statusCode(409)
                .body("detail", equalTo("Purchase " + purchase
                        + " was already debited 100 cents from another account or for another amount"));
        TestAccounts.debit(purchase, other.id(), 100).then().statusCode(409);
        assertEquals(900, TestAccounts.balance(account));
        assertEquals(1000, TestAccounts.balance(other));
    }

    @Test
    void anInsufficientBalanceIs402WithTheAmountsAndWritesNothing() {
        TestAccounts.TestAccount account = TestAccounts.funded(100);
        UUID purchase = UUID.randomUUID();
        TestAccounts.debit(purchase, account.id(), 500).then().statusCode(402)
                .body("detail", equalTo("Insufficient balance: 500 cents needed, 100 cents available"));
        assertEquals(100, TestAccounts.balance(account));
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM debit WHERE purchase_id = $1", purchase));
        // the exact balance can be spent
        TestAccounts.debit(purchase, account.id(), 100).then().statusCode(201).body("balance_after_cents", equalTo(0));
    }

    @Test
    void anUnknownAccountIs404() {
        UUID account = UUID.randomUUID();
        TestAccounts.debit(UUID.randomUUID(), account, 100).then().statusCode(404)
                .body("detail", equalTo("Unknown account " + account));
    }

    @Test
    void badDebitRequestsAre4xxWithADetailAndWriteNothing() {
        TestAccounts.TestAccount account = TestAccounts.funded(1000);
        UUID purchase = UUID.randomUUID();
        TestAccounts.debit(purchase, account.id(), -100).then().statusCode(422)
                .body("detail", equalTo("'amount_cents' must be between 1 and 100000000"));
        TestAccounts.debit(purchase, account.id(), 0).then().statusCode(422);
        post(Map.of("purchase_id", purchase.toString(), "account_id", account.id().toString(), "amount_cents", 10.5))
                .then().statusCode(400)
                .body("detail", equalTo("Field 'amount_cents' must be an integer number of cents"));
        post(Map.of("purchase_id", purchase.toString(), "account_id", account.id().toString(), "amount_cents", "100"))
                .then().statusCode(400);
        post(Map.of("purchase_id", purchase.toString(), "account_id", account.id().toString()))
                .then().statusCode(400).body("detail", equalTo("'amount_cents' is required"));
        post(Map.of("account_id", account.id().toString(), "amount_cents", 100))
                .then().statusCode(400).body("detail", equalTo("'purchase_id' is required"));
        post(Map.of("purchase_id", purchase.toString(), "amount_cents", 100))
                .then().statusCode(400).body("detail", equalTo("'account_id' is required"));
        post(Map.of("purchase_id", "v_8R3p2K", "account_id", account.id().toString(), "amount_cents", 100))
                .then().statusCode(400).body("detail", equalTo("Field 'purchase_id' has the wrong type"));
        Map<String, Object> blankRef = new HashMap<>(Map.of("purchase_id", purchase.toString(), "account_id",
                account.id().toString(), "amount_cents", 100, "ref", ""));
        post(blankRef).then().statusCode(422);
        ServiceCredentials.internal().contentType(ContentType.JSON).when().post("/internal/debits").then()
                .statusCode(400);
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM debit WHERE account_id = $1", account.id()));
        assertEquals(1000, TestAccounts.balance(account));
    }

    private static Response post(Map<String, Object> body) {
        return ServiceCredentials.internal().contentType(ContentType.JSON).body(body).when().post("/internal/debits");
    }

    static List<Integer> race(List<Callable<Response>> calls) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(calls.size());
        try {
            List<Integer> statuses = new ArrayList<>();
            for (Future<Response> future : executor.invokeAll(calls)) {
                statuses.add(future.get().statusCode());
            }
            return statuses;
        } finally {
            executor.shutdownNow();
        }
    }
}
