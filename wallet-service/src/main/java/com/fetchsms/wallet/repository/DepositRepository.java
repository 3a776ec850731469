package com.fetchsms.wallet.repository;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.wallet.domain.Deposit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Deposits and their provider-side state. A deposit leaves {@code pending} once, which is what makes it credit once. */
@ApplicationScoped
public class DepositRepository {

    /** A deposit made under an Idempotency-Key, with the hash of the request that made it. */
    public record Keyed(Deposit deposit, String requestHash) {
    }

    /**
     * Inserts a pending deposit; empty when {@code idempotencyKey} (when given) is already the account's, whoever
     * inserted it first (then {@link #findByKey} has it).
     */
    public Uni<Optional<Deposit>> insertPending(SqlClient db, UUID id, UUID accountId, long amountCents, String method,
            String provider, String idempotencyKey, String requestHash) {
        return db.preparedQuery("""
                INSERT INTO deposit (id, account_id, amount_cents, method, provider, idempotency_key, request_hash)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT ON CONSTRAINT deposit_idempotency_key DO NOTHING
                RETURNING *""")
                .execute(Tuple.tuple().addUUID(id).addUUID(accountId).addLong(amountCents).addString(method)
                        .addString(provider).addString(idempotencyKey).addString(requestHash))
                .map(rows -> Rows.first(rows, DepositRepository::deposit));
    }

    public Uni<Optional<Keyed>> findByKey(SqlClient db, UUID accountId, String idempotencyKey) {
        return db.preparedQuery("SELECT * FROM deposit WHERE account_id = $1 AND idempotency_key = $2")
                .execute(Tuple.of(accountId, idempotencyKey))
                .map(rows -> Rows.first(rows, row -> new Keyed(deposit(row), row.getString("request_hash"))));
    }

    public Uni<Void> attachReference(SqlClient db, UUID id, String reference, String checkoutUrl) {
        return db.preparedQuery("UPDATE deposit SET provider_reference = $2, checkout_url = $3 WHERE id = $1")
                .execute(Tuple.of(id, reference, checkoutUrl)).replaceWithVoid();
    }

    /** Moves a pending deposit to completed with its ledger transaction; empty when it was not pending. */
    public Uni<Optional<Deposit>> complete(SqlClient db, String provider, String reference, UUID transactionId) {
        return db.preparedQuery("""
                UPDATE deposit SET status = 'completed', completed_at = now(), transaction_id = $3
                WHERE provider = $1 AND provider_reference = $2 AND status = 'pending'
                RETURNING *""")
                .execute(Tuple.of(provider, reference, transactionId))
                .map(rows -> Rows.first(rows, DepositRepository::deposit));
    }

    /** Moves a pending deposit to failed; empty when it was not pending. */
    public Uni<Optional<Deposit>> fail(SqlClient db, String provider, String reference) {
        return db.preparedQuery("""
                UPDATE deposit SET status = 'failed', completed_at = now()
                WHERE provider = $1 AND provider_reference = $2 AND status = 'pending'
                RETURNING *""")
                .execute(Tuple.of(provider, reference))
                .map(rows -> Rows.first(rows, DepositRepository::deposit));
    }

    /** A deposit the provider never accepted (its call failed). */
    public Uni<Void> failUnstarted(SqlClient db, UUID id) {
        return db.preparedQuery("""
                UPDATE deposit SET status = 'failed', completed_at = now() WHERE id = $1 AND status = 'pending'""")
                .execute(Tuple.of(id)).replaceWithVoid();
    }

    public Uni<Optional<Deposit>> findByReference(SqlClient db, String provider, String reference) {
        return db.preparedQuery("SELECT * FROM deposit WHERE provider = $1 AND provider_reference = $2")
                .execute(Tuple.of(provider, reference)).map(rows -> Rows.first(rows, DepositRepository::deposit));
    }

    public Uni<Optional<Deposit>> find(SqlClient db, UUID id, UUID accountId) {
        return db.preparedQuery("SELECT * FROM deposit WHERE id = $1 AND account_id = $2")
                .execute(Tuple.of(id, accountId)).map(rows -> Rows.first(rows, DepositRepository::deposit));
    }

    private static Deposit deposit(Row row) {
        return new Deposit(row.getUUID("id"), row.getUUID("account_id"), row.getLong("amount_cents"),
                row.getString("method"), row.getString("status"), Rows.instant(row, "created_at"),
                Rows.instant(row, "completed_at"), row.getString("checkout_url"));
    }
}
