package com.fetchsms.verification.repository;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The integer that names a verification in the SMS-Activate compatible API ({@code activation_id}, given by the
 * database to every verification, whichever API bought it).
 */
@ApplicationScoped
public class ActivationRepository {

    /** The verification of an activation id, when it is the account's. */
    public Uni<Optional<UUID>> find(SqlClient db, UUID accountId, long activationId) {
        return db.preparedQuery("SELECT id FROM verification WHERE activation_id = $1 AND account_id = $2")
                .execute(Tuple.of(activationId, accountId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID("id")));
    }

    /** The activation ids of verifications, by verification id. */
    public Uni<Map<UUID, Long>> activationIds(SqlClient db, List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return db.preparedQuery("SELECT id, activation_id FROM verification WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(UUID[]::new))).map(rows -> {
                    Map<UUID, Long> found = new HashMap<>();
                    for (Row row : rows) {
                        found.put(row.getUUID("id"), row.getLong("activation_id"));
                    }
                    return found;
                });
    }
}
