package com.fetchsms.wallet.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.wallet.domain.ApiKey;
import com.fetchsms.common.contract.KeyIntrospection;
import com.fetchsms.common.events.KeyMode;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * API keys, stored as the SHA-256 of the key only. A customer's keys are those of its account (live keys) and of its
 * sandbox twin (test keys): {@code customer} below is always the live account, the one a session names.
 */
@ApplicationScoped
public class ApiKeyRepository {

    /** A key row with its hash, for events. */
    public record StoredKey(UUID id, UUID accountId, String keyHash, String prefix, KeyMode mode,
            Instant changedAt) {
    }

    /** The accounts of a customer: its own and its sandbox twin's (when it has one). */
    private static final String CUSTOMER_ACCOUNTS = "(SELECT id FROM account WHERE id = $%1$d OR sandbox_of = $%1$d)";

    /** Active keys of the customer, live and test together. */
    public Uni<Long> countActive(SqlClient db, UUID customer) {
        return db.preparedQuery("SELECT count(*) FROM api_key WHERE account_id IN " + customerAccounts(1)
                + " AND revoked_at IS NULL")
                .execute(Tuple.of(customer)).map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<ApiKey> insert(SqlClient db, UUID id, UUID accountId, String name, String keyHash, String prefix,
            KeyMode mode) {
        return db.preparedQuery("""
                INSERT INTO api_key (id, account_id, name, key_hash, prefix, mode) VALUES ($1, $2, $3, $4, $5, $6)
                RETURNING *""")
                .execute(Tuple.from(List.of(id, accountId, name, keyHash, prefix, mode.code())))
                .map(rows -> apiKey(rows.iterator().next()));
    }

    /** The customer's keys, live and test, newest first, revoked ones included. */
    public Uni<List<ApiKey>> list(SqlClient db, UUID customer) {
        return db.preparedQuery("SELECT * FROM api_key WHERE account_id IN " + customerAccounts(1)
                + " ORDER BY created_at DESC, id")
                .execute(Tuple.of(customer)).map(rows -> {
                    List<ApiKey> keys = new ArrayList<>();
                    rows.forEach(row -> keys.add(apiKey(row)));
                    return keys;
                });
    }

    /**
     * Revokes an active key of the customer (live or test); empty when it is not the customer's or was already
     * revoked.
     */
    public Uni<Optional<StoredKey>> revoke(SqlClient db, UUID id, UUID customer) {
        return db.preparedQuery("UPDATE api_key SET revoked_at = now() WHERE id = $1 AND account_id IN "
                + customerAccounts(2) + " AND revoked_at IS NULL"
                + " RETURNING id, account_id, key_hash, prefix, mode, revoked_at")
                .execute(Tuple.of(id, customer))
                .map(rows -> Rows.first(rows, row -> new StoredKey(row.getUUID("id"), row.getUUID("account_id"),
                        row.getString("key_hash"), row.getString("prefix"), KeyMode.of(row.getString("mode")),
                        Rows.instant(row, "revoked_at"))));
    }

    public Uni<Boolean> exists(SqlClient db, UUID id, UUID customer) {
        return db.preparedQuery("SELECT 1 FROM api_key WHERE id = $1 AND account_id IN " + customerAccounts(2))
                .execute(Tuple.of(id, customer)).map(rows -> rows.size() == 1);
    }

    public Uni<Optional<KeyIntrospection>> introspect(SqlClient db, String keyHash) {
        return db.preparedQuery("SELECT * FROM api_key WHERE key_hash = $1").execute(Tuple.of(keyHash))
                .map(rows -> Rows.first(rows, row -> new KeyIntrospection(row.getUUID("id"),
                        row.getUUID("account_id"), row.getString("prefix"),
                        row.getValue("revoked_at") == null ? "active" : "revoked",
                        KeyMode.of(row.getString("mode")))));
    }

    /**
     * Applies a batch of usage reports in one statement: {@code last_used_at} only moves forward (several replicas
     * report independently, in any order) and never past the database's clock.
     */
    public Uni<Integer> recordUsage(SqlClient db, UUID[] keyIds, Instant[] usedAt) {
        java.time.OffsetDateTime[] times = new java.time.OffsetDateTime[usedAt.length];
        for (int i = 0; i < usedAt.length; i++) {
            times[i] = Rows.utc(usedAt[i]);
        }
        return db.preparedQuery("""
                UPDATE api_key k SET last_used_at = GREATEST(k.last_used_at, LEAST(u.used_at, now()))
                FROM (SELECT key_id, max(used_at) AS used_at
                      FROM unnest($1::uuid[], $2::timestamptz[]) AS r(key_id, used_at)
                      GROUP BY key_id) u
                WHERE k.id = u.key_id""")
                .execute(Tuple.tuple().addArrayOfUUID(keyIds).addArrayOfOffsetDateTime(times))
                .map(rows -> rows.rowCount());
    }

    private static String customerAccounts(int parameter) {
        return String.format(CUSTOMER_ACCOUNTS, parameter);
    }

    private static ApiKey apiKey(Row row) {
        return new ApiKey(row.getUUID("id"), row.getString("name"), KeyMode.of(row.getString("mode")),
                row.getString("prefix"),
                Rows.instant(row, "created_at"), Rows.instant(row, "last_used_at"), Rows.instant(row, "revoked_at"));
    }
}
