package com.fetchsms.wallet.repository;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.wallet.domain.Debit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Debits, one per purchase, each refunded at most once. */
@ApplicationScoped
public class DebitRepository {

    /** A debit that has just been marked refunded. */
    public record Refundable(UUID purchaseId, UUID accountId, long amountCents, String ref) {
    }

    public Uni<Optional<Debit>> find(SqlClient db, UUID purchaseId) {
        return db.preparedQuery("SELECT * FROM debit WHERE purchase_id = $1").execute(Tuple.of(purchaseId))
                .map(rows -> Rows.first(rows, DebitRepository::debit));
    }

    /** Fails with a unique violation on {@code debit_pkey} when the purchase was debited concurrently. */
    public Uni<Void> insert(SqlClient db, Debit debit) {
        return db.preparedQuery("""
                INSERT INTO debit (purchase_id, account_id, amount_cents, ref, transaction_id, balance_after_cents,
                                   created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7)""")
                .execute(Tuple.tuple().addUUID(debit.purchaseId()).addUUID(debit.accountId())
                        .addLong(debit.amountCents()).addString(debit.ref()).addUUID(debit.transactionId())
                        .addLong(debit.balanceAfterCents()).addOffsetDateTime(Rows.utc(debit.createdAt())))
                .replaceWithVoid();
    }

    /**
     * Marks the purchase's debit refunded by {@code refundTransactionId}, once: the row is locked by the update and the
     * condition {@code refunded_at IS NULL} lets exactly one caller through, whatever the duplicates. Empty when there
     * is no debit or it was already refunded.
     */
    public Uni<Optional<Refundable>> markRefunded(SqlClient db, UUID purchaseId, String reason,
            UUID refundTransactionId) {
        return db.preparedQuery("""
                UPDATE debit SET refunded_at = now(), refund_reason = $2, refund_transaction_id = $3
                WHERE purchase_id = $1 AND refunded_at IS NULL
                RETURNING purchase_id, account_id, amount_cents, ref""")
                .execute(Tuple.of(purchaseId, reason, refundTransactionId))
                .map(rows -> Rows.first(rows, row -> new Refundable(row.getUUID("purchase_id"),
                        row.getUUID("account_id"), row.getLong("amount_cents"), row.getString("ref"))));
    }

    private static Debit debit(Row row) {
        return new Debit(row.getUUID("purchase_id"), row.getUUID("account_id"), row.getLong("amount_cents"),
                row.getLong("balance_after_cents"), row.getUUID("transaction_id"), row.getString("ref"),
                Rows.instant(row, "created_at"));
    }
}
