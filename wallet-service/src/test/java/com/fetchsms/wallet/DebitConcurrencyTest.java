package com.fetchsms.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.Topics;
import com.fetchsms.testkit.KafkaEvents;
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

    @Test
    void twoHundredParallelDebitsOfOneDollarAgainstFiftyDollarsGiveExactlyFifty() throws Exception {
        TestAccounts.TestAccount account = TestAccounts.funded(5000);
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(() -> TestAccounts.debit(UUID.randomUUID(), account.id(), 100));
        }
        List<Integer> statuses = DebitTest.race(calls);

        assertEquals(50, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(150, statuses.stream().filter(s -> s == 402).count(), statuses.toString());
        assertEquals(0, TestAccounts.balance(account));
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
        assertEquals(50, KafkaEvents.all(Topics.WALLET_DEBITED, r -> account.id().toString().equals(r.key()),
                Duration.ofSeconds(3)).size());
    }
}
