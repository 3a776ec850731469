package com.fetchsms.wallet.repository;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.wallet.domain.Adjustment;
import com.fetchsms.wallet.domain.LedgerItem;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The Idempotency-Keys of administrators' adjustments: which ledger transaction each key booked, with the hash of the
 * request that booked it (migration V8).
 */
@ApplicationScoped
public class AdjustmentRepository {

    /** An adjustment booked under an Idempotency-Key, with the hash of the request that booked it. */
    public record Keyed(Adjustment adjustment, String requestHash) {
    }

    /**
     * Claims {@code idempotencyKey} of {@code adminId} for the adjustment {@code transactionId} about to be booked in
     * the same transaction: false when the key is already taken (a concurrent request with the key waits here until
     * the first one ends; it is then taken, or free again when the first one was rolled back).
     */
    public Uni<Boolean> claim(SqlClient db, UUID adminId, String idempotencyKey, String requestHash, UUID accountId,
            UUID transactionId) {
        return db.preparedQuery("""
                INSERT INTO adjustment_request (admin_id, idempotency_key, request_hash, account_id, transaction_id)
                VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (admin_id, idempotency_key) DO NOTHING""")
                .execute(Tuple.of(adminId, idempotencyKey, requestHash, accountId, transactionId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The adjustment {@code adminId} booked with {@code idempotencyKey}, as its first answer gave it. */
    public Uni<Optional<Keyed>> findByKey(SqlClient db, UUID adminId, String idempotencyKey) {
        return db.preparedQuery("""
                SELECT r.request_hash, r.account_id, t.id, t.memo, t.created_at, e.amount_cents, e.balance_after_cents
                FROM adjustment_request r
                JOIN ledger_transaction t ON t.id = r.transaction_id
                JOIN ledger_entry e ON e.transaction_id = t.id
                JOIN ledger_account w ON w.id = e.ledger_account_id AND w.kind = 'wallet'
                WHERE r.admin_id = $1 AND r.idempotency_key = $2""")
                .execute(Tuple.of(adminId, idempotencyKey))
                .map(rows -> Rows.first(rows, row -> new Keyed(new Adjustment(row.getUUID("id"),
                        row.getUUID("account_id"), LedgerItem.ADJUSTMENT, row.getLong("amount_cents"),
                        row.getLong("balance_after_cents"), null, row.getString("memo"),
                        Rows.instant(row, "created_at")), row.getString("request_hash"))));
    }
}
