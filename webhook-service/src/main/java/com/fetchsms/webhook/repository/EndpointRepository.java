package com.fetchsms.webhook.repository;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.webhook.domain.Endpoint;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Customer endpoints, always scoped by account (another account's endpoint does not exist). */
@ApplicationScoped
public class EndpointRepository {

    private static final String COLUMNS = "id, url, events, status, disabled_reason, created_at";

    /** Serialises endpoint creation per account for the cap (transaction-scoped advisory lock). */
    public Uni<Void> lockAccount(SqlClient tx, UUID accountId) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended($1, 12))")
                .execute(Tuple.of(accountId.toString())).replaceWithVoid();
    }

    public Uni<Integer> count(SqlClient tx, UUID accountId) {
        return tx.preparedQuery("SELECT count(*) AS n FROM endpoint WHERE account_id = $1")
                .execute(Tuple.of(accountId)).map(rows -> rows.iterator().next().getInteger("n"));
    }

    public Uni<Void> insert(SqlClient tx, UUID id, UUID accountId, String url, List<String> events,
            byte[] secretCiphertext, Instant createdAt) {
        return tx.preparedQuery("""
                INSERT INTO endpoint (id, account_id, url, events, secret_ciphertext, created_at)
                VALUES ($1, $2, $3, $4, $5, $6)""")
                .execute(Tuple.tuple().addUUID(id).addUUID(accountId).addString(url)
                        .addArrayOfString(events.toArray(String[]::new)).addBuffer(Buffer.buffer(secretCiphertext))
                        .addOffsetDateTime(createdAt.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    public Uni<List<Endpoint>> list(SqlClient tx, UUID accountId) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM endpoint WHERE account_id = $1 ORDER BY created_at, id")
                .execute(Tuple.of(accountId)).map(EndpointRepository::endpoints);
    }

    public Uni<Optional<Endpoint>> find(SqlClient tx, UUID accountId, UUID id) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM endpoint WHERE account_id = $1 AND id = $2")
                .execute(Tuple.of(accountId, id)).map(rows -> endpoints(rows).stream().findFirst());
    }

    /** Deletes the endpoint and, by cascade, its deliveries; false when the account has no such endpoint. */
    public Uni<Boolean> delete(SqlClient tx, UUID accountId, UUID id) {
        return tx.preparedQuery("DELETE FROM endpoint WHERE account_id = $1 AND id = $2")
                .execute(Tuple.of(accountId, id)).map(rows -> rows.rowCount() == 1);
    }

    /**
     * Replaces the secret; the current one becomes the previous secret until {@code overlap} has passed (a rotation
     * within the overlap drops the older one). Answers when the previous secret stops signing; empty when the account
     * has no such endpoint.
     */
    public Uni<Optional<Instant>> rotateSecret(SqlClient tx, UUID accountId, UUID id, byte[] secretCiphertext,
            Duration overlap) {
        return tx.preparedQuery("""
                UPDATE endpoint SET previous_secret_ciphertext = secret_ciphertext,
                       previous_secret_expires_at = now() + make_interval(secs => $4), secret_ciphertext = $3
                WHERE account_id = $1 AND id = $2
                RETURNING previous_secret_expires_at""")
                .execute(Tuple.tuple().addUUID(accountId).addUUID(id).addBuffer(Buffer.buffer(secretCiphertext))
                        .addDouble(overlap.toMillis() / 1000.0))
                .map(rows -> rows.rowCount() == 0
                        ? Optional.<Instant>empty()
                        : Optional.of(rows.iterator().next().getOffsetDateTime("previous_secret_expires_at")
                                .toInstant()));
    }

    public Uni<Void> disable(SqlClient tx, UUID id, String reason) {
        return tx.preparedQuery("UPDATE endpoint SET status = 'disabled', disabled_reason = $2 WHERE id = $1")
                .execute(Tuple.of(id, reason)).replaceWithVoid();
    }

    /** Re-activates an endpoint (a customer's manual retry). */
    public Uni<Void> enable(SqlClient tx, UUID id) {
        return tx.preparedQuery("UPDATE endpoint SET status = 'active', disabled_reason = NULL WHERE id = $1")
                .execute(Tuple.of(id)).replaceWithVoid();
    }

    public Uni<Void> markSuccess(SqlClient tx, UUID id) {
        return tx.preparedQuery("UPDATE endpoint SET last_success_at = now() WHERE id = $1")
                .execute(Tuple.of(id)).replaceWithVoid();
    }

    /** Disables the endpoint as failing unless a delivery to it succeeded since {@code since}. */
    public Uni<Void> disableIfNoSuccessSince(SqlClient tx, UUID id, Instant since) {
        return tx.preparedQuery("""
                UPDATE endpoint SET status = 'disabled', disabled_reason = 'failing'
                WHERE id = $1 AND status = 'active' AND (last_success_at IS NULL OR last_success_at < $2)""")
                .execute(Tuple.of(id, since.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    private static List<Endpoint> endpoints(RowSet<Row> rows) {
        List<Endpoint> result = new java.util.ArrayList<>();
        for (Row row : rows) {
            result.add(new Endpoint(row.getUUID("id"), row.getString("url"),
                    Arrays.asList(row.getArrayOfStrings("events")), row.getString("status"),
                    row.getString("disabled_reason"), row.getOffsetDateTime("created_at").toInstant()));
        }
        return result;
    }
}
