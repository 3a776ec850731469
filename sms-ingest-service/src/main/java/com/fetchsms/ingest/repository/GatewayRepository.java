package com.fetchsms.ingest.repository;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.common.sandbox.Sandbox;
import com.fetchsms.ingest.domain.Gateway;
import com.fetchsms.ingest.domain.GatewayView;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Modem gateways and their hashed tokens. The sandbox's row ({@link Sandbox#GATEWAY_ID}, migration V2) is no modem
 * gateway: no query here finds, lists or rotates it, so no credential ever acts as it.
 */
@ApplicationScoped
public class GatewayRepository {

    private static final String COLUMNS = "id, name, credential_version, created_at, last_seen_at";
    /** Every modem gateway: any row but the sandbox's. */
    private static final String MODEM = "id <> '" + Sandbox.GATEWAY_ID + "'";

    /** Inserts a gateway; answers {@code false} when the name is taken (case-insensitively). */
    public Uni<Boolean> insert(SqlClient db, UUID id, String name, String tokenHash, String tokenPrefix,
            Instant createdAt) {
        return db.preparedQuery("""
                INSERT INTO gateway (id, name, token_hash, token_prefix, created_at) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(id, name, tokenHash, tokenPrefix, utc(createdAt)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Optional<Gateway>> findByTokenHash(SqlClient db, String tokenHash) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM gateway WHERE token_hash = $1 AND " + MODEM)
                .execute(Tuple.of(tokenHash)).map(GatewayRepository::first);
    }

    public Uni<Optional<Gateway>> findById(SqlClient db, UUID id) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM gateway WHERE id = $1 AND " + MODEM).execute(Tuple.of(id))
                .map(GatewayRepository::first);
    }

    /** Replaces the token (the old one stops working at once); answers the new credential version. */
    public Uni<Optional<Gateway>> rotate(SqlClient db, UUID id, String tokenHash, String tokenPrefix) {
        return db.preparedQuery("""
                UPDATE gateway SET token_hash = $2, token_prefix = $3, credential_version = credential_version + 1
                WHERE id = $1 AND\s""" + MODEM + " RETURNING id, name, credential_version, created_at, last_seen_at")
                .execute(Tuple.of(id, tokenHash, tokenPrefix)).map(GatewayRepository::first);
    }

    /** Records that the gateway called, at most once per {@code resolution}. */
    public Uni<Void> touch(SqlClient db, UUID id, Instant now, Duration resolution) {
        return db.preparedQuery("""
                UPDATE gateway SET last_seen_at = $2
                WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at < $3)""")
                .execute(Tuple.of(id, utc(now), utc(now.minus(resolution)))).replaceWithVoid();
    }

    /**
     * Every modem gateway with its counts, oldest first (not the sandbox's row); {@code messages_last_hour} counts its
     * messages stored (de-duplicated) since {@code lastHour}, on the index by gateway and time of ingestion.
     */
    public Uni<List<GatewayView>> list(SqlClient db, Instant lastHour) {
        return db.preparedQuery("""
                SELECT g.id, g.name, g.token_prefix, g.created_at, g.last_seen_at,
                       (SELECT count(*) FROM gateway_number n WHERE n.gateway_id = g.id AND n.state <> 'retired')
                           AS numbers,
                       (SELECT count(*) FROM inbound_message m WHERE m.gateway_id = g.id) AS messages,
                       (SELECT count(*) FROM inbound_message m WHERE m.gateway_id = g.id AND m.created_at >= $1)
                           AS messages_last_hour,
                       (SELECT count(*) FROM raw_message r WHERE r.gateway_id = g.id AND r.outcome = 'duplicate')
                           AS duplicates,
                       (SELECT count(*) FROM raw_message r WHERE r.gateway_id = g.id AND r.outcome = 'rejected')
                           AS rejected
                FROM gateway g WHERE g.""" + MODEM + " ORDER BY g.created_at, g.id").execute(Tuple.of(utc(lastHour)))
                .map(rows -> {
                    List<GatewayView> result = new ArrayList<>();
                    for (Row row : rows) {
                        result.add(new GatewayView(row.getUUID("id"), row.getString("name"),
                                row.getString("token_prefix"), instant(row, "created_at"),
                                instant(row, "last_seen_at"), row.getLong("numbers"), row.getLong("messages"),
                                row.getLong("messages_last_hour"), row.getLong("duplicates"), row.getLong("rejected")));
                    }
                    return result;
                });
    }

    private static Optional<Gateway> first(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new Gateway(row.getUUID("id"), row.getString("name"), row.getInteger("credential_version"),
                instant(row, "created_at"), instant(row, "last_seen_at")));
    }

    static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
