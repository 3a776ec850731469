package com.fetchsms.wallet.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.wallet.domain.LedgerItem;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Wallets and the double-entry ledger. A wallet's balance only changes through {@link #move}, which locks the wallet
 * row, followed by {@link #book} in the same transaction; the database checks at commit that every transaction
 * balances and that the stored balance is the sum of the wallet's entries (migration V1).
 */
@ApplicationScoped
public class LedgerRepository {

    /** Platform accounts: the other side of every wallet entry. */
    public enum PlatformAccount {
        /** Purchases paid (debits) and given back (refunds). */
        REVENUE("revenue"),
        /** Money received from payment providers. */
        PAYMENT_CLEARING("payment_clearing"),
        /** Administrators' corrections and promotions. */
        ADJUSTMENTS("adjustments"),
        /** Test money given to sandbox wallets (starting balances, top-ups): never real money. */
        SANDBOX_FUNDING("sandbox_funding"),
        /** Sandbox purchases paid with test money (debits) and given back (refunds): never revenue. */
        SANDBOX_REVENUE("sandbox_revenue");

        private final String kind;

        PlatformAccount(String kind) {
            this.kind = kind;
        }
    }

    /** A wallet after a balance change. */
    public record WalletMove(UUID walletId, long balanceAfterCents) {
    }

    /** A booked transaction. */
    public record Booking(UUID transactionId, Instant createdAt) {
    }

    /** Opens the wallet of a new account (idempotent). */
    public Uni<Void> createWallet(SqlClient db, UUID accountId) {
        return db.preparedQuery("""
                INSERT INTO ledger_account (id, kind, account_id, balance_cents) VALUES ($1, 'wallet', $2, 0)
                ON CONFLICT (account_id) DO NOTHING""")
                .execute(Tuple.of(UUID.randomUUID(), accountId)).replaceWithVoid();
    }

    public Uni<Optional<Long>> balance(SqlClient db, UUID accountId) {
        return db.preparedQuery("SELECT balance_cents FROM ledger_account WHERE account_id = $1 AND kind = 'wallet'")
                .execute(Tuple.of(accountId)).map(rows -> Rows.first(rows, row -> row.getLong(0)));
    }

    /**
     * Adds {@code deltaCents} (negative: takes) to the wallet unless that would take it below zero. The row stays
     * locked until the transaction ends, so concurrent moves on one wallet queue and never overdraw it. Empty when the
     * wallet does not exist or cannot pay.
     */
    public Uni<Optional<WalletMove>> move(SqlClient db, UUID accountId, long deltaCents) {
        return db.preparedQuery("""
                UPDATE ledger_account SET balance_cents = balance_cents + $2
                WHERE account_id = $1 AND kind = 'wallet' AND balance_cents + $2 >= 0
                RETURNING id, balance_cents""")
                .execute(Tuple.of(accountId, deltaCents))
                .map(rows -> Rows.first(rows, row -> new WalletMove(row.getUUID("id"), row.getLong("balance_cents"))));
    }

    /**
     * Credits {@code deltaCents} (positive) to the wallet unless its balance would exceed {@code ceilingCents}; like
     * {@link #move}, the row stays locked until the transaction ends. Empty when the wallet does not exist or is too
     * full.
     */
    public Uni<Optional<WalletMove>> credit(SqlClient db, UUID accountId, long deltaCents, long ceilingCents) {
        return db.preparedQuery("""
                UPDATE ledger_account SET balance_cents = balance_cents + $2
                WHERE account_id = $1 AND kind = 'wallet' AND balance_cents + $2 <= $3
                RETURNING id, balance_cents""")
                .execute(Tuple.of(accountId, deltaCents, ceilingCents))
                .map(rows -> Rows.first(rows, row -> new WalletMove(row.getUUID("id"), row.getLong("balance_cents"))));
    }

    /**
     * Books a transaction of two entries: {@code walletAmountCents} on the wallet (with its new balance) and the
     * opposite amount on a platform account.
     */
    public Uni<Booking> book(SqlClient db, UUID transactionId, String type, String ref, String memo, UUID createdBy,
            WalletMove wallet, long walletAmountCents, PlatformAccount counterpart) {
        return db
                .preparedQuery(
                        """
                                WITH t AS (
                                    INSERT INTO ledger_transaction (id, type, ref, memo, created_by) VALUES ($1, $2, $3, $4, $5)
                                    RETURNING id, created_at)
                                INSERT INTO ledger_entry (transaction_id, ledger_account_id, amount_cents, balance_after_cents, created_at)
                                SELECT t.id, $6::uuid, $7::bigint, $8::bigint, t.created_at FROM t
                                UNION ALL
                                SELECT t.id, p.id, -$7::bigint, NULL::bigint, t.created_at FROM t, ledger_account p
                                WHERE p.kind = $9::text
                                RETURNING created_at""")
                .execute(Tuple.tuple().addUUID(transactionId).addString(type).addString(ref).addString(memo)
                        .addUUID(createdBy).addUUID(wallet.walletId()).addLong(walletAmountCents)
                        .addLong(wallet.balanceAfterCents()).addString(counterpart.kind))
                .map(rows -> {
                    if (rows.rowCount() != 2) {
                        throw new IllegalStateException("Platform account " + counterpart.kind + " is missing");
                    }
                    return new Booking(transactionId, Rows.instant(rows.iterator().next(), "created_at"));
                });
    }

    /**
     * The wallet's entries, newest first, older than the entry {@code beforeSeq} (all when null), each with the reason
     * an administrator gave if it is an adjustment (the transaction's memo; other types' memos are not reasons).
     */
    public Uni<List<Entry>> entries(SqlClient db, UUID accountId, Long beforeSeq, int limit) {
        return db.preparedQuery("""
                SELECT e.seq, t.id, t.type, t.ref, e.amount_cents, e.balance_after_cents, e.created_at,
                       CASE WHEN t.type = 'adjustment' THEN t.memo END AS reason
                FROM ledger_entry e
                JOIN ledger_account w ON w.id = e.ledger_account_id
                JOIN ledger_transaction t ON t.id = e.transaction_id
                WHERE w.account_id = $1 AND ($2::bigint IS NULL OR e.seq < $2)
                ORDER BY e.seq DESC
                LIMIT $3""")
                .execute(Tuple.of(accountId, beforeSeq, limit))
                .map(rows -> {
                    List<Entry> result = new ArrayList<>();
                    for (Row row : rows) {
                        result.add(new Entry(row.getLong("seq"), new LedgerItem(row.getUUID("id"),
                                row.getString("type"), row.getLong("amount_cents"),
                                row.getLong("balance_after_cents"), row.getString("ref"),
                                Rows.instant(row, "created_at")), row.getString("reason")));
                    }
                    return result;
                });
    }

    /** Position of a transaction in the wallet of {@code accountId} (the ledger's cursor); empty when not there. */
    public Uni<Optional<Long>> position(SqlClient db, UUID accountId, UUID transactionId) {
        return db.preparedQuery("""
                SELECT e.seq FROM ledger_entry e JOIN ledger_account w ON w.id = e.ledger_account_id
                WHERE w.account_id = $1 AND e.transaction_id = $2""")
                .execute(Tuple.of(accountId, transactionId)).map(rows -> Rows.first(rows, row -> row.getLong(0)));
    }

    /**
     * A ledger item with its position, and the reason of an adjustment (null for any other type): what an
     * administrator sees besides the customer's item.
     */
    public record Entry(long seq, LedgerItem item, String reason) {
    }
}
