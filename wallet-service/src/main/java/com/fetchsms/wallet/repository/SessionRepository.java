package com.fetchsms.wallet.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Signed-out sessions and per-account "signed out everywhere" cut-offs. */
@ApplicationScoped
public class SessionRepository {

    /** What the database knows about a session: signed out by id, and the account's cut-off (null when none). */
    public record SessionState(boolean signedOut, Instant validAfter) {
    }

    /** Records a signed-out session; false when it already was. */
    public Uni<Boolean> revoke(SqlClient db, UUID sessionId, UUID accountId, Instant expiresAt) {
        return db.preparedQuery("""
                INSERT INTO session_revocation (session_id, account_id, expires_at) VALUES ($1, $2, $3)
                ON CONFLICT (session_id) DO NOTHING""")
                .execute(Tuple.of(sessionId, accountId, utc(expiresAt)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Moves the account's cut-off forward to {@code at} (never back); false when the account does not exist. */
    public Uni<Boolean> revokeAll(SqlClient db, UUID accountId, Instant at) {
        return db.preparedQuery("""
                UPDATE account SET sessions_valid_after = GREATEST(sessions_valid_after, $2) WHERE id = $1""")
                .execute(Tuple.of(accountId, utc(at)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<SessionState> state(SqlClient db, UUID accountId, UUID sessionId) {
        return db.preparedQuery("""
                SELECT EXISTS (SELECT 1 FROM session_revocation WHERE session_id = $2) AS signed_out,
                       (SELECT sessions_valid_after FROM account WHERE id = $1) AS valid_after""")
                .execute(Tuple.of(accountId, sessionId))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    OffsetDateTime after = row.getOffsetDateTime("valid_after");
                    return new SessionState(Boolean.TRUE.equals(row.getBoolean("signed_out")),
                            after == null ? null : after.toInstant());
                });
    }

    /** Forgets sign-outs whose tokens have expired; answers how many. */
    public Uni<Integer> deleteExpired(SqlClient db) {
        return db.query("DELETE FROM session_revocation WHERE expires_at < now()").execute()
                .map(rows -> rows.rowCount());
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
