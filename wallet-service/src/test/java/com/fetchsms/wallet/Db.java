package com.fetchsms.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

import com.fetchsms.testkit.KafkaEvents;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Assertions on the service's rows, through its own pool. */
final class Db {

    private Db() {
    }

    static long count(Pool pool, String sql, Object... args) {
        return rows(pool, sql, args).iterator().next().getLong(0);
    }

    static RowSet<Row> rows(Pool pool, String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(java.util.Arrays.asList(args))).await()
                .atMost(Duration.ofSeconds(30));
    }

    /** Every transaction of the ledger balances and every wallet holds the sum of its entries. */
    static void assertLedgerConsistent(Pool pool) {
        assertEquals(0L, count(pool, """
                SELECT count(*) FROM (SELECT transaction_id FROM ledger_entry GROUP BY transaction_id
                                      HAVING sum(amount_cents) <> 0 OR count(*) < 2) unbalanced"""),
                "unbalanced ledger transactions");
        assertEquals(0L, count(pool, """
                SELECT count(*) FROM ledger_account w
                WHERE w.kind = 'wallet'
                  AND w.balance_cents <> (SELECT COALESCE(sum(e.amount_cents), 0) FROM ledger_entry e
                                          WHERE e.ledger_account_id = w.id)"""),
                "wallets whose balance is not the sum of their entries");
    }

    /** Waits until {@code actual} answers {@code expected} (30 s). */
    static void await(LongSupplier actual, long expected) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(actual::getAsLong, value -> value == expected);
    }

    /**
     * Every record of {@code topic} with key {@code key} (an account id), once the outbox holds none of the key's rows:
     * everything committed for the key so far has been published and is counted, without waiting for a quiet period.
     */
    static List<KafkaEvents.Received> publishedOfKey(Pool pool, String topic, String key) {
        await(() -> count(pool, "SELECT count(*) FROM outbox_event WHERE message_key = $1 AND parked_at IS NULL",
                key), 0);
        return KafkaEvents.upToNow(topic, r -> key.equals(r.key()));
    }
}
