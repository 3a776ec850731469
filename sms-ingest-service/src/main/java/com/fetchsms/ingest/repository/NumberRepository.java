package com.fetchsms.ingest.repository;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The local copy of the inventory: which gateway serves a number, and the number's state. */
@ApplicationScoped
public class NumberRepository {

    /** A number's assignment. */
    public record Assignment(UUID gatewayId, String state) {
    }

    /** Stores the newest state of a number (an older state than the one stored is ignored). */
    public Uni<Void> upsert(SqlClient db, String number, UUID gatewayId, String state, Instant changedAt) {
        return db.preparedQuery("""
                INSERT INTO gateway_number (number, gateway_id, state, changed_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (number) DO UPDATE
                SET gateway_id = EXCLUDED.gateway_id, state = EXCLUDED.state, changed_at = EXCLUDED.changed_at
                WHERE gateway_number.changed_at <= EXCLUDED.changed_at""")
                .execute(Tuple.of(number, gatewayId, state, GatewayRepository.utc(changedAt))).replaceWithVoid();
    }

    public Uni<Optional<Assignment>> find(SqlClient db, String number) {
        return db.preparedQuery("SELECT gateway_id, state FROM gateway_number WHERE number = $1")
                .execute(Tuple.of(number)).map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new Assignment(row.getUUID("gateway_id"), row.getString("state")));
                });
    }

    /** The stored assignments of {@code numbers}, by number (numbers the copy does not know are absent). */
    public Uni<Map<String, Assignment>> findAll(SqlClient db, Collection<String> numbers) {
        return db.preparedQuery("SELECT number, gateway_id, state FROM gateway_number WHERE number = ANY($1)")
                .execute(Tuple.of(numbers.toArray(String[]::new))).map(rows -> {
                    Map<String, Assignment> found = new HashMap<>();
                    for (Row row : rows) {
                        found.put(row.getString("number"),
                                new Assignment(row.getUUID("gateway_id"), row.getString("state")));
                    }
                    return found;
                });
    }
}
