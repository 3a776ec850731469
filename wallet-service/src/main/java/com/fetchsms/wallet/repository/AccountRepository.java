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

/** Accounts and their password hashes. E-mail addresses are unique whatever their case. */
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

    /** Locks the account row for the rest of the transaction (serialises per-account rules such as key caps). */
    public Uni<Boolean> lock(SqlClient db, UUID id) {
        return db.preparedQuery("SELECT 1 FROM account WHERE id = $1 FOR NO KEY UPDATE").execute(Tuple.of(id))
                .map(rows -> rows.size() == 1);
    }

    /**
     * Accounts whose address contains {@code emailPart} (case-insensitive; all when null), ordered by address, after
     * the account {@code after} (keyset), with their wallet balance.
     */
    public Uni<List<AccountSummary>> search(SqlClient db, String emailPart, UUID after, int limit) {
        String pattern = emailPart == null ? null : "%" + likeEscape(emailPart) + "%";
        return db
                .preparedQuery(
                        """
                                SELECT a.*, w.balance_cents FROM account a JOIN ledger_account w ON w.account_id = a.id
                                WHERE ($1::text IS NULL OR lower(a.email) LIKE lower($1) ESCAPE '\\')
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
