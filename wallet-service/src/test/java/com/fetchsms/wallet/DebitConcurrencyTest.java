package com.fetchsms.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class DebitConcurrencyTest {

    @Inject
    Pool pool;

    /**
     * Two hundred parallel debits of one dollar, each for another purchase, from a wallet of fifty dollars: fifty are
     * made (201), the others refused (402), and the wallet is empty.
     */
    static void twoHundredDebitsOfOneDollarMakeFifty(TestAccounts.TestAccount account) throws Exception {
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(() -> TestAccounts.debit(UUID.randomUUID(), account.id(), 100));
        }
        List<Integer> statuses = DebitTest.race(calls);
        assertEquals(50, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(150, statuses.stream().filter(s -> s == 402).count(), statuses.toString());
        assertEquals(0, TestAccounts.balance(account));
    }

    @Test
    void twoHundredParallelDebitsOfOneDollarAgainstFiftyDollarsGiveExactlyFifty() throws Exception {
        TestAccounts.TestAccount account = TestAccounts.funded(5000);
        twoHundredDebitsOfOneDollarMakeFifty(account);
        assertEquals(50L, Db.count(pool, "SELECT count(*) FROM debit WHERE account_id = $1", account.id()));
        // the wallet's entries: one credit of 5000, fifty debits of 100, summing to the balance
        assertEquals(0L, Db.count(pool, """
                SELECT sum(e.amount_cents) FROM ledger_entry e JOIN ledger_account w ON w.id = e.ledger_account_id
                WHERE w.account_id = $1""", account.id()));
        assertEquals(51L, Db.count(pool, """
                SELECT count(*) FROM ledger_entry e JOIN ledger_account w ON w.id = e.ledger_account_id
                WHERE w.account_id = $1""", account.id()));
        // balances after each debit are 4900, 4800, …, 0: each exactly once
        assertEquals(50L, Db.count(pool, """
                SELECT count(DISTINCT e.balance_after_cents) FROM ledger_entry e
                JOIN ledger_account w ON w.id = e.ledger_account_id
                WHERE w.account_id = $1 AND e.amount_cents = -100""", account.id()));
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void sixtyFourCallersRetryingTheSamePurchasesOnOneWalletDebitEachPurchaseOnceAndNeverOverdraw() throws Exception {
        long funded = 8000;
        TestAccounts.TestAccount account = TestAccounts.funded(funded);
        int purchases = 128;
        List<UUID> ids = new ArrayList<>();
        Map<UUID, Long> amounts = new HashMap<>();
        for (int i = 0; i < purchases; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            amounts.put(id, 50L + (i % 4) * 25L); // 11,200 cents asked for in all
        }
        // 64 callers, each through 8 purchases in its own order: every purchase is asked for 4 times, concurrently
        List<Callable<List<String>>> callers = new ArrayList<>();
        for (int c = 0; c < 64; c++) {
            List<UUID> mine = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                mine.add(ids.get((c + k * 16) % purchases));
            }
            Collections.shuffle(mine, new Random(c));
            callers.add(() -> {
                List<String> outcomes = new ArrayList<>();
                for (UUID id : mine) {
                    Response response = TestAccounts.debit(id, account.id(), amounts.get(id));
                    outcomes.add(id + " " + response.statusCode() + " "
                            + (response.statusCode() == 402 ? "" : response.path("transaction_id")));
                }
                return outcomes;
            });
        }
        ExecutorService executor = Executors.newFixedThreadPool(callers.size());
        Map<UUID, List<String>> byPurchase = new HashMap<>();
        try {
            for (Future<List<String>> future : executor.invokeAll(callers)) {
                for (String outcome : future.get()) {
                    String[] parts = outcome.split(" ", 2);
                    byPurchase.computeIfAbsent(UUID.fromString(parts[0]), k -> new ArrayList<>()).add(parts[1]);
                }
            }
        } finally {
            executor.shutdownNow();
        }

        long balance = TestAccounts.balance(account);
        long paid = 0;
        int paidCount = 0;
        for (UUID id : ids) {
            List<String> outcomes = byPurchase.get(id);
            assertEquals(4, outcomes.size());
            long created = outcomes.stream().filter(o -> o.startsWith("201 ")).count();
            if (created == 0) {
                // refused every time, and rightly: the balance only went down, and it cannot pay this purchase now
                assertTrue(outcomes.stream().allMatch(o -> o.startsWith("402 ")), outcomes.toString());
                assertTrue(balance < amounts.get(id), id + " refused while " + balance + " cents remain");
                continue;
            }
            // one debit; every other call answered that same debit
            assertEquals(1, created, outcomes.toString());
            String transaction = outcomes.stream().filter(o -> o.startsWith("201 ")).findFirst().orElseThrow()
                    .substring(4);
            assertTrue(
                    outcomes.stream().allMatch(o -> o.equals("201 " + transaction) || o.equals("200 " + transaction)),
                    outcomes.toString());
            paid += amounts.get(id);
            paidCount++;
        }
        assertEquals(funded - paid, balance);
        assertTrue(balance >= 0);
        assertEquals(paidCount, Db.count(pool, "SELECT count(*) FROM debit WHERE account_id = $1", account.id()));
        assertEquals(paid, Db.count(pool, "SELECT sum(amount_cents) FROM debit WHERE account_id = $1", account.id()));
        // the wallet's entries: the credit and one entry per debit, summing to the balance, each balance_after once
        assertEquals(paidCount + 1L, Db.count(pool, """
                SELECT count(*) FROM ledger_entry e JOIN ledger_account w ON w.id = e.ledger_account_id
                WHERE w.account_id = $1""", account.id()));
        assertEquals(balance, Db.count(pool, """
                SELECT sum(e.amount_cents) FROM ledger_entry e JOIN ledger_account w ON w.id = e.ledger_account_id
                WHERE w.account_id = $1""", account.id()));
        assertEquals(paidCount + 1L, Db.count(pool, """
                SELECT count(DISTINCT e.balance_after_cents) FROM ledger_entry e
                JOIN ledger_account w ON w.id = e.ledger_account_id WHERE w.account_id = $1""", account.id()));
        // each debit's ledger transaction: its wallet entry and the revenue's, opposite amounts
        assertEquals(0L, Db.count(pool, """
                SELECT count(*) FROM debit d
                WHERE d.account_id = $1
                  AND ((SELECT count(*) FROM ledger_entry e WHERE e.transaction_id = d.transaction_id) <> 2
                       OR (SELECT e.amount_cents FROM ledger_entry e
                           JOIN ledger_account a ON a.id = e.ledger_account_id
                           WHERE e.transaction_id = d.transaction_id AND a.kind = 'revenue') <> d.amount_cents)""",
                account.id()));
        Db.assertLedgerConsistent(pool);
    }
}
