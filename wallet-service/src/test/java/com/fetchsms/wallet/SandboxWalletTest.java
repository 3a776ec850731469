package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.Topics;
import com.fetchsms.common.events.VerificationExpired;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The sandbox wallet (decision 0024): a test key reads and tops up its test money, a live key is 403, a session reads
 * its sandbox but does not top it up; purchases debit and refund it exactly as a live wallet, against sandbox_revenue,
 * and live revenue never sees it.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class SandboxWalletTest {

    @Inject
    Pool pool;

    @Test
    void aTestKeyReadsItsSandboxWalletAndTopsItUpAtOnce() {
        TestAccounts.TestAccount account = TestAccounts.funded(700);
        Sandboxes.TestKey test = Sandboxes.testKey(pool, account);

        Sandboxes.sandboxWallet(test.key()).then().statusCode(200)
                .body("balance_cents", equalTo(10_000))
                .body("currency", equalTo("USD"))
                .body("entries", hasSize(1))
                .body("entries[0].type", equalTo("top_up"))
                .body("entries[0].amount_cents", equalTo(10_000))
                .body("entries[0].balance_after_cents", equalTo(10_000))
                .body("entries[0].ref", equalTo("starting_balance"))
                .body("entries[0].created_at", notNullValue());

        String id = Sandboxes.topUp(test.key(), 2_500).then().statusCode(201)
                .body("type", equalTo("top_up"))
                .body("amount_cents", equalTo(2_500))
                .body("balance_after_cents", equalTo(12_500))
                .body("ref", nullValue())
                .extract().path("id");
        Sandboxes.sandboxWallet(test.key()).then().statusCode(200)
                .body("balance_cents", equalTo(12_500))
                .body("entries.id[0]", equalTo(id))
                .body("entries.amount_cents", equalTo(List.of(2_500, 10_000)));
        assertEquals("sandbox_funding", Db.rows(pool, """
                SELECT p.kind FROM ledger_entry e JOIN ledger_account p ON p.id = e.ledger_account_id
                WHERE e.transaction_id = $1 AND p.kind <> 'wallet'""", UUID.fromString(id)).iterator().next()
                .getString(0));

        // the live wallet is another account's, untouched
        assertEquals(700, TestAccounts.balance(account));
        // the key's last use is recorded
        Db.await(() -> Db.count(pool, "SELECT count(*) FROM api_key WHERE id = $1 AND last_used_at IS NOT NULL",
                UUID.fromString(test.id())), 1);
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void aLiveKeyIs403AndASessionReadsItsSandboxButDoesNotTopItUp() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String live = Sandboxes.issue(account, "live", "live").path("key");
        String refused = "The sandbox wallet takes a test key (fsk_test_…); this is a live key";
        Sandboxes.sandboxWallet(live).then().statusCode(403).body("detail", equalTo(refused));
        Sandboxes.topUp(live, 100).then().statusCode(403).body("detail", equalTo(refused));

        // before the first test key the customer has no sandbox
        Sandboxes.sandboxWallet(account.token()).then().statusCode(404)
                .body("detail", equalTo("No sandbox yet: it is made with the first test key (POST /v1/api-keys "
                        + "with \"mode\": \"test\")"));
        Sandboxes.TestKey test = Sandboxes.testKey(pool, account);
        Sandboxes.topUp(test.key(), 1).then().statusCode(201);
        // the dashboard reads it with the customer's session
        Sandboxes.sandboxWallet(account.token()).then().statusCode(200)
                .body("balance_cents", equalTo(10_001))
                .body("entries", hasSize(2));
        Sandboxes.topUp(account.token(), 100).then().statusCode(403)
                .body("detail", equalTo("A sandbox top-up takes a test key (fsk_test_…), not a dashboard session"));
        assertEquals(10_001L, Db.count(pool, "SELECT balance_cents FROM ledger_account WHERE account_id = $1",
                test.twin()));

        given().when().get("/v1/sandbox/wallet").then().statusCode(401);
        Sandboxes.sandboxWallet("fsk_test_" + "x".repeat(32)).then().statusCode(401)
                .body("detail", equalTo("Invalid or revoked API key"));
    }

    @Test
    void topUpsStayWithinTheirLimitsAndTheBalanceCap() {
        TestAccounts.TestAccount account = TestAccounts.create();
        Sandboxes.TestKey test = Sandboxes.testKey(pool, account);
        String range = "'amount_cents' must be between 1 and 100000";
        Sandboxes.topUp(test.key(), 0).then().statusCode(422).body("detail", equalTo(range));
        Sandboxes.topUp(test.key(), -5).then().statusCode(422).body("detail", equalTo(range));
        Sandboxes.topUp(test.key(), 100_001).then().statusCode(422).body("detail", equalTo(range));
        Sandboxes.topUp(test.key(), 10.5).then().statusCode(400);
        Sandboxes.topUp(test.key(), "100").then().statusCode(400);
        Sandboxes.topUp(test.key(), null).then().statusCode(400).body("detail", equalTo("'amount_cents' is required"));
        given().auth().oauth2(test.key()).contentType(ContentType.JSON).body("{").when()
                .post("/v1/sandbox/wallet/top-up").then().statusCode(400);
        given().auth().oauth2(test.key()).contentType(ContentType.JSON).when()
                .post("/v1/sandbox/wallet/top-up").then().statusCode(400);

        // 10,000 + 9 × 100,000 = 910,000; then 90,000 reaches the cap exactly, one cent more is refused
        for (int i = 0; i < 9; i++) {
            Sandboxes.topUp(test.key(), 100_000).then().statusCode(201);
        }
        Sandboxes.topUp(test.key(), 90_001).then().statusCode(422).body("detail",
                equalTo("'amount_cents' would take the sandbox balance above 1000000 cents (balance: 910000 cents)"));
        Sandboxes.topUp(test.key(), 90_000).then().statusCode(201).body("balance_after_cents", equalTo(1_000_000));
        Sandboxes.topUp(test.key(), 1).then().statusCode(422);
        Sandboxes.sandboxWallet(test.key()).then().statusCode(200).body("balance_cents", equalTo(1_000_000));
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void racingTopUpsNeverPassTheCap() throws Exception {
        TestAccounts.TestAccount account = TestAccounts.create();
        Sandboxes.TestKey test = Sandboxes.testKey(pool, account);
        for (int i = 0; i < 9; i++) {
            Sandboxes.topUp(test.key(), 100_000).then().statusCode(201);
        }
        Sandboxes.topUp(test.key(), 80_000).then().statusCode(201).body("balance_after_cents", equalTo(990_000));

        // room for two top-ups of 5,000: eight at once, exactly two are credited
        java.util.concurrent.ExecutorService racers = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<Integer> statuses;
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(racers.submit(() -> Sandboxes.topUp(test.key(), 5_000).statusCode()));
            }
            statuses = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
        } finally {
            racers.shutdownNow();
        }
        assertEquals(2L, statuses.stream().filter(status -> status == 201).count(), statuses.toString());
        assertEquals(6L, statuses.stream().filter(status -> status == 422).count(), statuses.toString());
        assertEquals(1_000_000L, Db.count(pool, "SELECT balance_cents FROM ledger_account WHERE account_id = $1",
                test.twin()));
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void aSandboxPurchaseIsDebitedAndRefundedAgainstSandboxRevenueNeverRevenue() {
        TestAccounts.TestAccount account = TestAccounts.funded(5_000);
        Sandboxes.TestKey test = Sandboxes.testKey(pool, account);
        long revenue = Sandboxes.platformSum(pool, "revenue");
        long sandboxRevenue = Sandboxes.platformSum(pool, "sandbox_revenue");

        UUID purchase = UUID.randomUUID();
        String transaction = TestAccounts.debit(purchase, test.twin(), 150, "v_sbx001").then().statusCode(201)
                .body("account_id", equalTo(test.twin().toString()))
                .body("balance_after_cents", equalTo(9_850))
                .extract().path("transaction_id");
        assertEquals(List.of("sandbox_revenue:150", "wallet:-150"), sides(UUID.fromString(transaction)));
        // the same purchase again answers the first debit
        TestAccounts.debit(purchase, test.twin(), 150, "v_sbx001").then().statusCode(200);
        // more than the sandbox holds is 402, as live
        TestAccounts.debit(UUID.randomUUID(), test.twin(), 1_000_000, "v_sbx002").then().statusCode(402);
        // getBalance of the SMS-Activate API with a test key
        ServiceCredentials.internal().when().get("/internal/wallets/" + test.twin()).then().statusCode(200)
                .body("account_id", equalTo(test.twin().toString()))
                .body("balance_cents", equalTo(9_850));

        String eventId = KafkaEvents.send(new VerificationExpired(purchase, test.twin(), "v_sbx001", 4, "telegram",
                "+12015550123", 150, Instant.now()));
        Db.await(() -> Db.count(pool, "SELECT count(*) FROM processed_event WHERE event_id = $1", eventId), 1);
        Sandboxes.sandboxWallet(test.key()).then().statusCode(200)
                .body("balance_cents", equalTo(10_000))
                .body("entries.type", equalTo(List.of("refund", "debit", "top_up")))
                .body("entries.ref", equalTo(List.of("v_sbx001", "v_sbx001", "starting_balance")));
        UUID refund = Db.rows(pool, "SELECT refund_transaction_id FROM debit WHERE purchase_id = $1", purchase)
                .iterator().next().getUUID(0);
        assertEquals(List.of("sandbox_revenue:-150", "wallet:150"), sides(refund));
        List<KafkaEvents.Received> refunds = Db.publishedOfKey(pool, Topics.WALLET_REFUNDED, test.twin().toString());
        assertEquals(1, refunds.size());
        assertEquals(10_000, refunds.get(0).data().get("balance_after_cents").asLong());

        // live money never moved: the customer's wallet and revenue are as they were
        assertEquals(5_000, TestAccounts.balance(account));
        assertEquals(revenue, Sandboxes.platformSum(pool, "revenue"));
        assertEquals(sandboxRevenue, Sandboxes.platformSum(pool, "sandbox_revenue"));
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void theDatabaseRefusesATransactionMixingSandboxAndLiveMoney() {
        TestAccounts.TestAccount account = TestAccounts.create();
        Sandboxes.TestKey test = Sandboxes.testKey(pool, account);
        // a twin's wallet against revenue: balanced and chained, but of two worlds
        String mixed = """
                WITH w AS (UPDATE ledger_account SET balance_cents = balance_cents - 10
                           WHERE account_id = $1 RETURNING id, balance_cents),
                t AS (INSERT INTO ledger_transaction (id, type) VALUES (gen_random_uuid(), 'debit') RETURNING id)
                INSERT INTO ledger_entry (transaction_id, ledger_account_id, amount_cents, balance_after_cents)
                SELECT t.id, w.id, -10, w.balance_cents FROM t, w
                UNION ALL
                SELECT t.id, p.id, 10, NULL FROM t, ledger_account p WHERE p.kind = 'revenue'""";
        RuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> Db.rows(pool, mixed, test.twin()));
        org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("mixes sandbox and live"),
                refused.getMessage());
        assertEquals(10_000L, Db.count(pool, "SELECT balance_cents FROM ledger_account WHERE account_id = $1",
                test.twin()));
        Db.assertLedgerConsistent(pool);
    }

    /** The entries of a transaction as {@code kind:amount}, sorted. */
    private List<String> sides(UUID transactionId) {
        List<String> sides = new java.util.ArrayList<>();
        Db.rows(pool, """
                SELECT p.kind, e.amount_cents FROM ledger_entry e JOIN ledger_account p ON p.id = e.ledger_account_id
                WHERE e.transaction_id = $1""", transactionId)
                .forEach(row -> sides.add(row.getString("kind") + ":" + row.getLong("amount_cents")));
        return sides.stream().sorted().toList();
    }

    @Test
    void anUnknownKeyOnADashboardRouteIsNowACredentialProblemAndAValidOneStill403() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String live = Sandboxes.issue(account, "live", null).path("key");
        given().auth().oauth2(live).when().get("/v1/wallet").then().statusCode(403)
                .body("detail", equalTo("API keys are not accepted here; use a dashboard session token"));
        given().auth().oauth2("fsk_live_" + "y".repeat(32)).when().get("/v1/wallet").then().statusCode(401);
        given().auth().oauth2(live).contentType(ContentType.JSON).body(Map.of("amount_cents", 100, "method", "card"))
                .when().post("/v1/wallet/deposits").then().statusCode(403);
    }
}
