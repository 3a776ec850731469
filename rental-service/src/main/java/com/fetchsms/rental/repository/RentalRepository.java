package com.fetchsms.rental.repository;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Singleton;

import com.fetchsms.common.purchase.PurchaseProduct;
import com.fetchsms.common.purchase.PurchaseRow;
import com.fetchsms.common.purchase.PurchaseTable;
import com.fetchsms.rental.domain.Rental;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code rental} table: the statements every purchase table has ({@link PurchaseTable}), and those of a rental's
 * messages: which rental holds a number ({@link #lockHolder}, {@link #rentedAmong}) and what a message changes
 * ({@link #updateAfterMessage}).
 */
@Singleton // not a normal scope: the generic superclass has no no-args constructor for a client proxy
public class RentalRepository extends PurchaseTable<Rental> {

    public RentalRepository(PurchaseProduct<Rental> product) {
        super(product, RentalRepository::rental);
    }

    private static Rental rental(Row row) {
        String[] used = row.getArrayOfStrings("services_used");
        return new Rental(PurchaseRow.of(row), row.getInteger("days"), row.getString("last_code"),
                PurchaseRow.instant(row, "last_code_at"), used == null ? List.of() : Arrays.asList(used));
    }

    /**
     * Locks the rental that held {@code number} when the carrier received an SMS at {@code receivedAt} and is still
     * running: its term, widened at the start by {@code clockSkew} (events carry whole seconds, and the carriers'
     * clocks are not the database's), contains that instant, and it was neither cancelled nor expired since.
     */
    public Uni<Optional<Rental>> lockHolder(SqlClient db, String number, Instant receivedAt, Duration clockSkew) {
        return db.preparedQuery("""
                SELECT * FROM rental
                WHERE number = $1 AND status IN ('waiting', 'active')
                  AND created_at - make_interval(secs => $3) <= $2 AND expires_at > $2
                ORDER BY created_at DESC LIMIT 1 FOR UPDATE""")
                .execute(Tuple.of(number, receivedAt.atOffset(ZoneOffset.UTC), seconds(clockSkew)))
                .map(this::first);
    }

    /**
     * Which of {@code numbers} have a running rental (waiting or active), with one statement: a batch of SMS looks for
     * each one's holder ({@link #lockHolder}) only on those numbers.
     */
    public Uni<Set<String>> rentedAmong(SqlClient db, Collection<String> numbers) {
        if (numbers.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return db.preparedQuery("""
                SELECT DISTINCT number FROM rental WHERE number = ANY($1) AND status IN ('waiting', 'active')""")
                .execute(Tuple.of(numbers.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> rented = new HashSet<>();
                    rows.forEach(row -> rented.add(row.getString(0)));
                    return rented;
                });
    }

    /** Applies a stored message to a rental locked by {@link #lockHolder}. */
    public Uni<Rental> updateAfterMessage(SqlClient db, UUID id, String status, String lastCode, Instant lastCodeAt,
            List<String> servicesUsed) {
        return db.preparedQuery("""
                UPDATE rental SET status = $2, last_code = $3, last_code_at = $4, services_used = $5
                WHERE id = $1 RETURNING *""")
                .execute(Tuple.tuple().addUUID(id).addString(status).addString(lastCode)
                        .addOffsetDateTime(lastCodeAt == null ? null : lastCodeAt.atOffset(ZoneOffset.UTC))
                        .addArrayOfString(servicesUsed.toArray(String[]::new)))
                .map(rows -> rental(rows.iterator().next()));
    }
}
