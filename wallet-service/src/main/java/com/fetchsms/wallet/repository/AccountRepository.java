package com.fetchsms.wallet.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.wallet.domain.Account;
import com.fetchsms.wallet.domain.AccountSummary;
import com.fetchsms.wallet.domain.Credentials;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Accounts and their password hashes. E-mail addresses are unique whatever their case. A customer's sandbox twin is an
 * account too ({@code sandbox_of} = the customer's account), without email or password: it never signs in and is no
 * customer of its own (the administrators' search leaves it out).
 */
@ApplicationScoped
public class AccountRepository {

    public Uni<Optional<Credentials>> findByEmail(SqlClient db, String email) {
        return db.preparedQuery("SELECT * FROM account WHERE lower(email) = lower($1)").execute(Tuple.of(email))
                .map(rows -> Rows.first(rows, AccountRepository::credentials));
    }

    public Uni<Optional<Account>> find(SqlClient db, UUID id) {
        return db.preparedQuery("SELECT * FROM account WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, row -> credentials(row).account()));
    }

    public Uni<Optional<Credentials>> findCredentials(SqlClient db, UUID id) {
        return db.preparedQuery("SELECT * FROM account WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, AccountRepository::credentials));
    }

    /**
     * Replaces the password hash if it is still {@code expectedHash} (two changes at once: one wins, the other sees
     * false).
     */
    public Uni<Boolean> replacePasswordHash(SqlClient db, UUID id, String expectedHash, String newHash) {
        return db.preparedQuery("UPDATE account SET password_hash = $3 WHERE id = $1 AND password_hash = $2")
                .execute(Tuple.of(id, expectedHash, newHash)).map(rows -> rows.rowCount() == 1);
    }

    /** Inserts the account unless the address is taken; empty when it was. */
    public Uni<Optional<Account>> insert(SqlClient db, UUID id, String email, String passwordHash, String role) {
        return db.preparedQuery("""
                INSERT INTO account (id, email, password_hash, role) VALUES ($1, $2, $3, $4)
                ON CONFLICT (lower(email)) DO NOTHING RETURNING *""")
                .execute(Tuple.of(id, email, passwordHash, role))
                .map(rows -> Rows.first(rows, row -> credentials(row).account()));
    }

    /** The sandbox twin of the customer's account, if it has one. */
    public Uni<Optional<UUID>> findTwin(SqlClient db, UUID customer) {
        return db.preparedQuery("SELECT id FROM account WHERE sandbox_of = $1").execute(Tuple.of(customer))
                .map(rows -> Rows.first(rows, row -> row.getUUID("id")));
    }

    /** Whether the account is a sandbox twin; empty when there is no such account. */
    public Uni<Optional<Boolean>> isTwin(SqlClient db, UUID id) {
        return db.preparedQuery("SELECT sandbox_of IS NOT NULL FROM account WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, row -> row.getBoolean(0)));
    }

    /**
     * Inserts the sandbox twin of the customer (a customer's account, locked by the caller so that one twin is made
     * whatever the races; {@code sandbox_of} is unique besides).
     */
    public Uni<UUID> insertTwin(SqlClient db, UUID id, UUID customer) {
        return db.preparedQuery("""
                INSERT INTO account (id, email, password_hash, role, sandbox_of)
                SELECT $1, NULL, NULL, 'user', id FROM account WHERE id = $2 AND sandbox_of IS NULL
                RETURNING id""")
                .execute(Tuple.of(id, customer))
                .map(rows -> Rows.first(rows, row -> row.getUUID("id"))
                        .orElseThrow(() -> new IllegalStateException("No customer account " + customer)));
    }

    /** Locks the account row for the rest of the transaction (serialises per-account rules such as key caps). */
    public Uni<Boolean> lock(SqlClient db, UUID id) {
        return db.preparedQuery("SELECT 1 FROM account WHERE id = $1 FOR NO KEY UPDATE").execute(Tuple.of(id))
                .map(rows -> rows.size() == 1);
    }

    /**
     * Customers whose address contains {@code emailPart} (case-insensitive; all when null), ordered by address, after
     * the account {@code after} (keyset), with their wallet balance. Sandbox twins are no customers: never listed.
     */
    public Uni<List<AccountSummary>> search(SqlClient db, String emailPart, UUID after, int limit) {
        String pattern = emailPart == null ? null : "%" + likeEscape(emailPart) + "%";
        return db
                .preparedQuery(
                        """
                                SELECT a.*, w.balance_cents FROM account a JOIN ledger_account w ON w.account_id = a.id
                                WHERE a.sandbox_of IS NULL
                                  AND ($1::text IS NULL OR lower(a.email) LIKE lower($1) ESCAPE '\\')
                                  AND ($2::uuid IS NULL OR (lower(a.email), a.id) > (SELECT lower(email), id FROM account WHERE id = $2))
                                ORDER BY lower(a.email), a.id
                                LIMIT $3""")
                .execute(Tuple.of(pattern, after, limit))
                .map(rows -> {
                    List<AccountSummary> result = new ArrayList<>();
                    for (Row row : rows) {
                        Account account = credentials(row).account();
                        result.add(new AccountSummary(account.id(), account.email(), account.role(),
                                account.createdAt(), row.getLong("balance_cents")));
                    }
                    return result;
                });
    }

    private static String likeEscape(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Credentials credentials(Row row) {
        return new Credentials(row.getUUID("id"), row.getString("email"), row.getString("role"),
                row.getString("password_hash"), Rows.instant(row, "created_at"));
    }
}
