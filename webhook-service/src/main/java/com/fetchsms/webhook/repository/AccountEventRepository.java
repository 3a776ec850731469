package com.fetchsms.webhook.repository;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.webhook.domain.AccountEvent;
import com.fetchsms.webhook.domain.LoggedEvent;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The accounts' event logs and their counters ({@code account_event}, {@code account_event_seq}). */
@ApplicationScoped
public class AccountEventRepository {

    /**
     * Appends {@code event} under the account's next id, unless the platform event {@code sourceEventId} is in the log
     * already (written by another consumer: nothing changes). The counter row stays locked until the caller's
     * transaction ends, so ids follow commit order per account. Answers whether the event was appended. Two writers
     * racing on one source event may leave an unused id (a gap), never a duplicate.
     */
    public Uni<Boolean> append(SqlClient tx, AccountEvent event, String sourceEventId) {
        return tx.preparedQuery("""
                WITH next AS (
                    INSERT INTO account_event_seq AS s (account_id, seq)
                    SELECT $1::uuid, 1 WHERE NOT EXISTS (SELECT 1 FROM account_event WHERE source_event_id = $4::text)
                    ON CONFLICT (account_id) DO UPDATE SET seq = s.seq + 1
                    RETURNING seq)
                INSERT INTO account_event (account_id, seq, type, payload, source_event_id)
                SELECT $1::uuid, next.seq, $2::text, $3::text::jsonb, $4::text FROM next
                ON CONFLICT (source_event_id) DO NOTHING
                RETURNING seq""")
                .execute(Tuple.of(event.accountId(), event.type(), event.data(), sourceEventId))
                .map(rows -> rows.rowCount() > 0);
    }

    /** The account's events after {@code seq}, oldest first, at most {@code limit}. */
    public Uni<List<LoggedEvent>> after(SqlClient client, UUID accountId, long seq, int limit) {
        return client.preparedQuery("""
                SELECT seq, type, payload::text AS data FROM account_event
                WHERE account_id = $1 AND seq > $2 ORDER BY seq LIMIT $3""")
                .execute(Tuple.of(accountId, seq, limit)).map(rows -> {
                    List<LoggedEvent> events = new ArrayList<>();
                    for (Row row : rows) {
                        events.add(new LoggedEvent(row.getLong("seq"), row.getString("type"), row.getString("data")));
                    }
                    return events;
                });
    }

    /** The newest id each of {@code accounts} has given (accounts without an event are absent). */
    public Uni<Map<UUID, Long>> newest(SqlClient client, List<UUID> accounts) {
        return client.preparedQuery("SELECT account_id, seq FROM account_event_seq WHERE account_id = ANY($1)")
                .execute(Tuple.of(accounts.toArray(UUID[]::new))).map(rows -> {
                    Map<UUID, Long> newest = new HashMap<>();
                    for (Row row : rows) {
                        newest.put(row.getUUID("account_id"), row.getLong("seq"));
                    }
                    return newest;
                });
    }

    /** The newest id the account has given, 0 when it has none. */
    public Uni<Long> newest(SqlClient client, UUID accountId) {
        return client.preparedQuery("SELECT seq FROM account_event_seq WHERE account_id = $1")
                .execute(Tuple.of(accountId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong("seq") : 0L);
    }

    /** Deletes the events written before {@code before}; answers how many. The counters stay. */
    public Uni<Integer> prune(SqlClient client, Instant before) {
        return client.preparedQuery("DELETE FROM account_event WHERE created_at < $1")
                .execute(Tuple.of(before.atOffset(ZoneOffset.UTC))).map(rows -> rows.rowCount());
    }
}
