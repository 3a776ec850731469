package com.fetchsms.webhook.repository;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The open streams of every replica ({@code event_stream}): one leased row each, for the per-account cap. */
@ApplicationScoped
public class StreamSlotRepository {

    /**
     * Takes a slot for a new stream of the account unless it holds {@code max} live ones already (expired leases do
     * not count and are removed); serialised per account by a transaction-scoped advisory lock. Answers whether it
     * was taken.
     */
    public Uni<Boolean> claim(SqlClient tx, UUID slot, UUID accountId, int max, Duration lease) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended($1, 20))")
                .execute(Tuple.of(accountId.toString()))
                .chain(() -> tx.preparedQuery("DELETE FROM event_stream WHERE account_id = $1 AND expires_at < now()")
                        .execute(Tuple.of(accountId)))
                .chain(() -> tx.preparedQuery("SELECT count(*) AS n FROM event_stream WHERE account_id = $1")
                        .execute(Tuple.of(accountId)))
                .chain(rows -> {
                    if (rows.iterator().next().getLong("n") >= max) {
                        return Uni.createFrom().item(false);
                    }
                    return tx.preparedQuery("""
                            INSERT INTO event_stream (id, account_id, expires_at)
                            VALUES ($1, $2, now() + make_interval(secs => $3))""")
                            .execute(Tuple.of(slot, accountId, lease.toMillis() / 1000.0)).replaceWith(true);
                });
    }

    /** Frees a closed stream's slot. */
    public Uni<Void> release(SqlClient client, UUID slot) {
        return client.preparedQuery("DELETE FROM event_stream WHERE id = $1").execute(Tuple.of(slot)).replaceWithVoid();
    }

    /** Extends the leases of this replica's open streams. */
    public Uni<Void> renew(SqlClient client, List<UUID> slots, Duration lease) {
        return client.preparedQuery("""
                UPDATE event_stream SET expires_at = now() + make_interval(secs => $2) WHERE id = ANY($1)""")
                .execute(Tuple.of(slots.toArray(UUID[]::new), lease.toMillis() / 1000.0)).replaceWithVoid();
    }
}
