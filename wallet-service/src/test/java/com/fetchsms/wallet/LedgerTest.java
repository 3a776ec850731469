package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.wallet.service.WalletService;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class LedgerTest {

    @Inject
    Pool pool;
    @Inject
    WalletService wallets;

    @Test
    void theLedgerListsSignedEntriesNewestFirstWithTheBalanceAfterEach() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String deposit = DepositTest.deposit(account, 1000, "card").path("id");
        UUID purchase = UUID.randomUUID();
        TestAccounts.debit(purchase, account.id(), 140, "v_ledger1").then().statusCode(201);
        refund(purchase);
        TestAccounts.credit(account.id(), 50);

        given().auth().oauth2(account.token()).when().get("/v1/wallet/ledger").then().statusCode(200)
                .body("type", equalTo(List.of("adjustment", "refund", "debit", "deposit")))
                .body("amount_cents", equalTo(List.of(50, 140, -140, 1000)))
                .body("balance_after_cents", equalTo(List.of(1050, 1000, 860, 1000)))
                .body("ref", equalTo(java.util.Arrays.asList(null, "v_ledger1", "v_ledger1", deposit)));
        given().auth().oauth2(account.token()).when().get("/v1/wallet").then().statusCode(200)
                .body("balance_cents", equalTo(1050)).body("currency", equalTo("USD"));
        assertMoneyInvariant(account.id());
    }

    @Test
    void theLedgerIsPaginatedWithANextLink() {
        TestAccounts.TestAccount account = TestAccounts.funded(10_000);
        for (int i = 1; i <= 4; i++) {
            TestAccounts.debit(UUID.randomUUID(), account.id(), i, "v_page0" + i).then().statusCode(201);
        }
        List<String> refs = new ArrayList<>();
        String next = "/v1/wallet/ledger?limit=2";
        int pages = 0;
        while (next != null) {
            Response page = given().auth().oauth2(account.token()).when().get(next);
            page.then().statusCode(200);
            refs.addAll(page.jsonPath().getList("ref"));
            String link = page.header("Link");
            next = link == null ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
            if (link != null) {
                assertTrue(link.endsWith("; rel=\"next\""), link);
            }
            pages++;
        }
        assertEquals(3, pages);
        assertEquals(List.of("v_page04", "v_page03", "v_page02", "v_page01"), refs.subList(0, 4));
        assertNull(refs.get(4), "the administrator's credit, first of all");

        given().auth().oauth2(account.token()).queryParam("limit", "0").when().get("/v1/wallet/ledger").then()
                .statusCode(422).body("detail", equalTo("Query parameter 'limit' must be between 1 and 200"));
        given().auth().oauth2(account.token()).queryParam("limit", "201").when().get("/v1/wallet/ledger").then()
                .statusCode(422);
        given().auth().oauth2(account.token()).queryParam("before", "nope").when().get("/v1/wallet/ledger").then()
                .statusCode(422);
        // another wallet's entry is not a cursor of this one
        TestAccounts.TestAccount other = TestAccounts.funded(100);
        String foreign = given().auth().oauth2(other.token()).when().get("/v1/wallet/ledger").path("[0].id");
        given().auth().oauth2(account.token()).queryParam("before", foreign).when().get("/v1/wallet/ledger").then()
                .statusCode(422).body("detail", containsString("'before'"));
    }

    @Test
    void theDatabaseRefusesToRewriteTheLedgerOrUnbalanceIt() {
        TestAccounts.TestAccount account = TestAccounts.funded(500);
        UUID wallet = walletOf(account.id());

        assertRefused("UPDATE ledger_entry SET amount_cents = amount_cents * 2 WHERE ledger_account_id = $1", wallet,
                "append-only");
        assertRefused("DELETE FROM ledger_entry WHERE ledger_account_id = $1", wallet, "append-only");
        assertRefused("DELETE FROM ledger_transaction WHERE id IN (SELECT transaction_id FROM ledger_entry "
                + "WHERE ledger_account_id = $1)", wallet, "append-only");
        // a balance changed without an entry is refused at commit
        assertRefused("UPDATE ledger_account SET balance_cents = balance_cents + 1000 WHERE id = $1", wallet,
                "sum to");
        // so is a balance below zero
        assertRefused("UPDATE ledger_account SET balance_cents = -1 WHERE id = $1", wallet, "check");
        // and a transaction whose entries do not sum to zero
        Throwable unbalanced = pool.withTransaction(tx -> {
            UUID transaction = UUID.randomUUID();
            return tx.preparedQuery("UPDATE ledger_account SET balance_cents = balance_cents + 10 WHERE id = $1")
                    .execute(Tuple.of(wallet))
                    .chain(() -> tx.preparedQuery("INSERT INTO ledger_transaction (id, type) VALUES ($1, 'deposit')")
                            .execute(Tuple.of(transaction)))
                    .chain(() -> tx
                            .preparedQuery(
                                    """
                                            INSERT INTO ledger_entry (transaction_id, ledger_account_id, amount_cents, balance_after_cents)
                                            VALUES ($1, $2, 10, 510)""")
                            .execute(Tuple.of(transaction, wallet)));
        }).onItemOrFailure().transform((ok, failure) -> failure).await().indefinitely();
        assertTrue(unbalanced != null && unbalanced.getMessage().contains("does not balance"),
                String.valueOf(unbalanced));

        assertEquals(500, TestAccounts.balance(account));
        Db.assertLedgerConsistent(pool);
    }

    private void refund(UUID purchase) {
        pool.withTransaction(tx -> wallets.refund(tx, purchase, "verification_cancelled")).await().indefinitely()
                .orElseThrow();
    }

    private UUID walletOf(UUID accountId) {
        return Db.rows(pool, "SELECT id FROM ledger_account WHERE account_id = $1", accountId).iterator().next()
                .getUUID(0);
    }

    private void assertRefused(String sql, UUID wallet, String message) {
        Throwable failure = assertThrows(Throwable.class,
                () -> pool.withTransaction(tx -> tx.preparedQuery(sql).execute(Tuple.of(wallet))).await()
                        .indefinitely());
        assertTrue(failure.getMessage().toLowerCase().contains(message.toLowerCase()), failure.getMessage());
    }

    /** deposits − debits + refunds + adjustments = balance = sum of the wallet's entries. */
    private void assertMoneyInvariant(UUID accountId) {
        long deposits = Db.count(pool, """
                SELECT COALESCE(sum(amount_cents), 0) FROM deposit WHERE account_id = $1 AND status = 'completed'""",
                accountId);
        long debits = Db.count(pool, "SELECT COALESCE(sum(amount_cents), 0) FROM debit WHERE account_id = $1",
                accountId);
        long refunds = Db.count(pool, """
                SELECT COALESCE(sum(amount_cents), 0) FROM debit WHERE account_id = $1 AND refunded_at IS NOT NULL""",
                accountId);
        long adjustments = Db.count(pool, """
                SELECT COALESCE(sum(e.amount_cents), 0) FROM ledger_entry e
                JOIN ledger_transaction t ON t.id = e.transaction_id
                JOIN ledger_account w ON w.id = e.ledger_account_id
                WHERE w.account_id = $1 AND t.type = 'adjustment'""", accountId);
        long balance = Db.count(pool, "SELECT balance_cents FROM ledger_account WHERE account_id = $1", accountId);
        long entries = Db.count(pool, """
                SELECT COALESCE(sum(e.amount_cents), 0) FROM ledger_entry e
                JOIN ledger_account w ON w.id = e.ledger_account_id WHERE w.account_id = $1""", accountId);
        assertEquals(balance, deposits - debits + refunds + adjustments);
        assertEquals(balance, entries);
        assertTrue(balance >= 0);
    }
}
