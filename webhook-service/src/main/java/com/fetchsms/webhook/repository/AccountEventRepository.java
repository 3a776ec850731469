package com.fetchsms.webhook.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.webhook.domain.LoggedEvent;
import com.fetchsms.webhook.domain.SourcedEvent;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The accounts' event logs and their counters ({@code account_event}, {@code account_event_seq}). */
@ApplicationScoped
public class AccountEventRepository {

    /**
     * Appends {@code events} (distinct source events, in the order given) with one statement: each account's counter
     * moves once by the number of its new events, which take the ids after the old value in the order given. An event
     * whose platform event is in the log already (written by another writer) is left out, as is one a racing writer
     * inserts first (its id then stays unused: a gap, never a duplicate). The counters are taken in account order and
     * stay locked until the caller's transaction ends, so ids follow commit order per account and concurrent writers
     * cannot deadlock. Answers what was appended, by account, each account's events in id order.
     */
    public Uni<Map<UUID, List<LoggedEvent>>> append(SqlClient tx, List<SourcedEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        int n = events.size();
        UUID[] accounts = new UUID[n];
        String[] types = new String[n];
        String[] data = new String[n];
        String[] sources = new String[n];
        OffsetDateTime[] occurred = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            SourcedEvent e = events.get(i);
            accounts[i] = e.event().accountId();
            types[i] = e.event().type();
            data[i] = e.event().data();
            sources[i] = e.sourceEventId();
            occurred[i] = (e.occurredAt() == null ? Instant.now() : e.occurredAt()).atOffset(ZoneOffset.UTC);
        }
        return tx.preparedQuery("""
                WITH input AS (
                    SELECT e.account_id, e.type, e.data, e.source_id, e.occurred_at, e.ord
                    FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
                        WITH ORDINALITY AS e(account_id, type, data, source_id, occurred_at, ord)
                    WHERE NOT EXISTS (SELECT 1 FROM account_event a WHERE a.source_event_id = e.source_id)),
                counted AS (
                    SELECT account_id, count(*) AS n FROM input GROUP BY account_id),
                next AS (
                    INSERT INTO account_event_seq AS s (account_id, seq)
                    SELECT account_id, n FROM counted ORDER BY account_id
                    ON CONFLICT (account_id) DO UPDATE SET seq = s.seq + EXCLUDED.seq
                    RETURNING account_id, seq)
                INSERT INTO account_event (account_id, seq, type, payload, source_event_id, occurred_at)
                SELECT i.account_id, next.seq - c.n + row_number() OVER (PARTITION BY i.account_id ORDER BY i.ord),
                       i.type, i.data::jsonb, i.source_id, i.occurred_at
                FROM input i JOIN counted c USING (account_id) JOIN next USING (account_id)
                ON CONFLICT (source_event_id) DO NOTHING
                RETURNING account_id, seq, type, payload::text AS data, occurred_at""")
                .execute(Tuple.of(accounts, types, data, sources).addArrayOfOffsetDateTime(occurred))
                .map(rows -> {
                    Map<UUID, List<LoggedEvent>> appended = new HashMap<>();
                    for (Row row : rows) {
                        appended.computeIfAbsent(row.getUUID("account_id"), account -> new ArrayList<>())
                                .add(logged(row));
                    }
                    appended.values().forEach(list -> list.sort(Comparator.comparingLong(LoggedEvent::seq)));
                    return appended;
                });
    }

    /** The account's events after {@code seq}, oldest first, at most {@code limit}. */
    public Uni<List<LoggedEvent>> after(SqlClient client, UUID accountId, long seq, int limit) {
        return client.preparedQuery("""
                SELECT seq, type, payload::text AS data, occurred_at FROM account_event
                WHERE account_id = $1 AND seq > $2 ORDER BY seq LIMIT $3""")
                .execute(Tuple.of(accountId, seq, limit)).map(rows -> {
                    List<LoggedEvent> events = new ArrayList<>();
                    for (Row row : rows) {
                        events.add(logged(row));
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

    private static LoggedEvent logged(Row row) {
        return new LoggedEvent(row.getLong("seq"), row.getString("type"), row.getString("data"),
                row.getOffsetDateTime("occurred_at").toInstant());
    }

    /** Deletes the events written before {@code before}; answers how many. The counters stay. */
    public Uni<Integer> prune(SqlClient client, Instant before) {
        return client.preparedQuery("DELETE FROM account_event WHERE created_at < $1")
                .execute(Tuple.of(before.atOffset(ZoneOffset.UTC))).map(rows -> rows.rowCount());
    }
}
