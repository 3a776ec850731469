package com.fetchsms.wallet.repository;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.common.contract.Debit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Debits, one per purchase, each refunded at most once. A debit and a refund are each one statement over the debit row,
 * the wallet row and the ledger (data-modifying CTEs): the wallet row is locked by that statement and then only by the
 * outbox write and the commit, so concurrent movements on one wallet queue for as short a time as possible. The wallet
 * update is the rule ({@code balance_cents >= amount}, READ COMMITTED re-evaluation on the row lock) and feeds the
 * ledger inserts, so the wallet entry is written while the row is locked (the chain trigger of migration V1). The
 * other side is {@code revenue}, or {@code sandbox_revenue} for a sandbox twin's wallet (test money is never revenue;
 * the database refuses a transaction that mixes sandbox and live accounts, migration V6).
 */
@ApplicationScoped
public class DebitRepository {

    /** What the debit statement did: created a debit, found the purchase's earlier one, or neither. */
    public record DebitResult(Optional<Debit> created, Optional<Debit> prior) {
    }

    /** Why nothing was debited: the purchase's debit if a concurrent call made it, else the wallet's balance. */
    public record NotDebited(Optional<Debit> prior, Optional<Long> balance) {
    }

    /** A debit that has just been refunded, with the wallet's balance after the refund. */
    public record Refunded(UUID purchaseId, UUID accountId, long amountCents, String ref, long balanceAfterCents,
            Instant createdAt) {
    }

    public Uni<Optional<Debit>> find(SqlClient db, UUID purchaseId) {
        return db.preparedQuery("SELECT * FROM debit WHERE purchase_id = $1").execute(Tuple.of(purchaseId))
                .map(rows -> Rows.first(rows, DebitRepository::debit));
    }

    /**
     * Debits the purchase unless it already was: takes {@code amountCents} from the wallet if it can pay, books the
     * ledger transaction ({@code transactionId}, wallet and revenue entries) and inserts the debit row, in one
     * statement. Answers the debit it created, or the purchase's earlier debit (nothing written), or neither (unknown
     * wallet, insufficient balance). Fails with a unique violation on {@code debit_pkey} when a concurrent call for the
     * same purchase committed first; its wallet change is then rolled back with the statement.
     */
    public Uni<DebitResult> debit(SqlClient db, UUID purchaseId, UUID accountId, long amountCents, String ref,
            UUID transactionId) {
        return db.preparedQuery("""
                WITH prior AS (
                    SELECT * FROM debit WHERE purchase_id = $1),
                wallet AS (
                    UPDATE ledger_account SET balance_cents = balance_cents - $3
                    WHERE account_id = $2 AND kind = 'wallet' AND balance_cents >= $3
                      AND NOT EXISTS (SELECT 1 FROM prior)
                    RETURNING id, balance_cents),
                booked AS (
                    INSERT INTO ledger_transaction (id, type, ref) SELECT $4, 'debit', $5 FROM wallet
                    RETURNING id, created_at),
                entries AS (
                    INSERT INTO ledger_entry (transaction_id, ledger_account_id, amount_cents, balance_after_cents,
                                              created_at)
                    SELECT b.id, w.id, -$3::bigint, w.balance_cents, b.created_at FROM booked b, wallet w
                    UNION ALL
                    SELECT b.id, p.id, $3::bigint, NULL, b.created_at FROM booked b, ledger_account p
                    WHERE p.kind = (SELECT CASE WHEN a.sandbox_of IS NULL THEN 'revenue' ELSE 'sandbox_revenue' END
                                    FROM account a WHERE a.id = $2)
                    RETURNING 1),
                created AS (
                    INSERT INTO debit (purchase_id, account_id, amount_cents, ref, transaction_id, balance_after_cents,
                                       created_at)
                    SELECT $1, $2, $3, $6, b.id, w.balance_cents, b.created_at FROM booked b, wallet w
                    RETURNING *)
                SELECT TRUE AS created, c.*, (SELECT count(*) FROM entries) AS entries FROM created c
                UNION ALL
                SELECT FALSE, p.*, NULL FROM prior p""")
                .execute(Tuple.tuple().addUUID(purchaseId).addUUID(accountId).addLong(amountCents)
                        .addUUID(transactionId).addString(ref != null ? ref : purchaseId.toString()).addString(ref))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return new DebitResult(Optional.empty(), Optional.empty());
                    }
                    Row row = rows.iterator().next();
                    if (!row.getBoolean("created")) {
                        return new DebitResult(Optional.empty(), Optional.of(debit(row)));
                    }
                    checkEntries(row);
                    return new DebitResult(Optional.of(debit(row)), Optional.empty());
                });
    }

    /** After a debit that moved nothing, in a new snapshot: the purchase's debit if there is one, else the balance. */
    public Uni<NotDebited> whyNotDebited(SqlClient db, UUID purchaseId, UUID accountId) {
        return db.preparedQuery("""
                SELECT d.*, (SELECT balance_cents FROM ledger_account WHERE account_id = $2 AND kind = 'wallet')
                            AS wallet_balance
                FROM (VALUES (1)) AS one (x) LEFT JOIN debit d ON d.purchase_id = $1""")
                .execute(Tuple.of(purchaseId, accountId)).map(rows -> {
                    Row row = rows.iterator().next();
                    return new NotDebited(
                            row.getUUID("purchase_id") == null ? Optional.empty() : Optional.of(debit(row)),
                            Optional.ofNullable(row.getLong("wallet_balance")));
                });
    }

    /**
     * Refunds the purchase's debit once, in one statement: marks the debit refunded by {@code refundTransactionId}
     * (the row lock and {@code refunded_at IS NULL} let exactly one caller through, whatever the duplicates), gives the
     * amount debited back to the wallet and books the refund. Empty when there is no debit or it was already refunded.
     */
    public Uni<Optional<Refunded>> refund(SqlClient db, UUID purchaseId, String reason, UUID refundTransactionId) {
        return db.preparedQuery("""
                WITH marked AS (
                    UPDATE debit SET refunded_at = now(), refund_reason = $2, refund_transaction_id = $3
                    WHERE purchase_id = $1 AND refunded_at IS NULL
                    RETURNING purchase_id, account_id, amount_cents, ref),
                wallet AS (
                    UPDATE ledger_account a SET balance_cents = a.balance_cents + m.amount_cents FROM marked m
                    WHERE a.account_id = m.account_id AND a.kind = 'wallet'
                    RETURNING a.id, a.balance_cents),
                booked AS (
                    INSERT INTO ledger_transaction (id, type, ref, memo)
                    SELECT $3, 'refund', COALESCE(m.ref, m.purchase_id::text), $2 FROM marked m, wallet
                    RETURNING id, created_at),
                entries AS (
                    INSERT INTO ledger_entry (transaction_id, ledger_account_id, amount_cents, balance_after_cents,
                                              created_at)
                    SELECT b.id, w.id, m.amount_cents, w.balance_cents, b.created_at FROM booked b, wallet w, marked m
                    UNION ALL
                    SELECT b.id, p.id, -m.amount_cents, NULL, b.created_at FROM booked b, marked m, ledger_account p
                    WHERE p.kind = (SELECT CASE WHEN a.sandbox_of IS NULL THEN 'revenue' ELSE 'sandbox_revenue' END
                                    FROM account a WHERE a.id = m.account_id)
                    RETURNING 1)
                SELECT m.*, w.balance_cents AS balance_after_cents, b.created_at,
                       (SELECT count(*) FROM entries) AS entries
                FROM marked m LEFT JOIN wallet w ON TRUE LEFT JOIN booked b ON TRUE""")
                .execute(Tuple.of(purchaseId, reason, refundTransactionId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    if (row.getLong("balance_after_cents") == null) {
                        throw new IllegalStateException("No wallet for account " + row.getUUID("account_id"));
                    }
                    checkEntries(row);
                    return Optional.of(new Refunded(row.getUUID("purchase_id"), row.getUUID("account_id"),
                            row.getLong("amount_cents"), row.getString("ref"), row.getLong("balance_after_cents"),
                            Rows.instant(row, "created_at")));
                });
    }

    private static void checkEntries(Row row) {
        if (row.getLong("entries") != 2) {
            throw new IllegalStateException("Platform account revenue (or sandbox_revenue) is missing");
        }
    }

    private static Debit debit(Row row) {
        return new Debit(row.getUUID("purchase_id"), row.getUUID("account_id"), row.getLong("amount_cents"),
                row.getLong("balance_after_cents"), row.getUUID("transaction_id"), row.getString("ref"),
                Rows.instant(row, "created_at"));
    }
}
