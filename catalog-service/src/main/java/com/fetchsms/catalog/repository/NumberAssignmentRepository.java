package com.fetchsms.catalog.repository;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.common.contract.NumberAssignment;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Read-only: which gateway serves which numbers (for sms-ingest's look-ups of numbers its copy does not know yet). */
@ApplicationScoped
public class NumberAssignmentRepository {

    /** The numbers of {@code numbers} that are in the inventory (any state); unknown ones are absent. */
    public Uni<List<NumberAssignment>> find(SqlClient db, List<String> numbers) {
        return db.preparedQuery("""
                SELECT number, gateway_id, state, updated_at FROM phone_number WHERE number = ANY($1)
                ORDER BY number""")
                .execute(Tuple.of(numbers.toArray(String[]::new))).map(rows -> {
                    List<NumberAssignment> found = new ArrayList<>();
                    rows.forEach(row -> found.add(new NumberAssignment(row.getString("number"),
                            row.getUUID("gateway_id"), row.getString("state"),
                            row.getOffsetDateTime("updated_at").toInstant())));
                    return found;
                });
    }
}
