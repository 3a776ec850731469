package com.fetchsms.catalog.repository;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.catalog.domain.Reservation;
import com.fetchsms.common.phone.PhoneNumbers;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reservations and the row-locking queries that allocate numbers. Every allocation locks the number's row
 * ({@code FOR UPDATE SKIP LOCKED}) and then re-checks the policy in a new statement, which under READ COMMITTED sees
 * every reservation committed by the transactions that held the lock before; the partial unique indexes back this up.
 */
@ApplicationScoped
public class ReservationRepository {

    private static final String SELECT = """
            SELECT r.*, s.slug, s.name FROM reservation r JOIN service s ON s.id = r.service_id""";

    public Uni<Optional<Reservation>> findByPurchase(SqlClient db, UUID purchaseId) {
        return db.preparedQuery(SELECT + " WHERE r.purchase_id = $1").execute(Tuple.of(purchaseId))
                .map(ReservationRepository::first);
    }

    /**
     * Locks a number a verification of {@code serviceId} may take, preferring numbers that are no longer pristine
     * (pristine ones are kept for rentals), in random order: concurrent requests spread over the candidates instead
     * of converging on the same rows (a deterministic order, e.g. least recently reserved, made every request of a
     * burst race for one row and retry; measured in docs/performance.md).
     */
    public Uni<Optional<String>> lockShortCandidate(SqlClient db, int serviceId, String areaCode) {
        return db.preparedQuery("SELECT n.number FROM phone_number n WHERE " + NumberRepository.AVAILABLE_FOR_SERVICE
                + """
                         AND ($2::text IS NULL OR n.area_code = $2)
                        ORDER BY n.pristine, random()
                        LIMIT 1 FOR UPDATE OF n SKIP LOCKED""")
                .execute(Tuple.of(serviceId, areaCode))
                .map(ReservationRepository::firstNumber);
    }

    /** Locks a pristine number for a rental. */
    public Uni<Optional<String>> lockLongCandidate(SqlClient db, String areaCode) {
        return db.preparedQuery("""
                SELECT n.number FROM phone_number n
                WHERE n.state = 'available' AND n.pristine AND ($1::text IS NULL OR n.area_code = $1)
                ORDER BY random()
                LIMIT 1 FOR UPDATE OF n SKIP LOCKED""")
                .execute(Tuple.of(areaCode))
                .map(ReservationRepository::firstNumber);
    }

    /** Inserts a short reservation if the locked number still qualifies; false when it no longer does. */
    public Uni<Boolean> insertShort(SqlClient db, UUID id, UUID purchaseId, String number, int serviceId,
            String areaCode, int priceCents) {
        return db.preparedQuery("""
                INSERT INTO reservation (id, purchase_id, number, service_id, mode, area_code, price_cents)
                SELECT $1, $2, n.number, $4, 'short', $5, $6 FROM phone_number n
                WHERE n.number = $3 AND n.state = 'available'
                  AND NOT EXISTS (SELECT 1 FROM reservation r
                                  WHERE r.number = n.number AND r.service_id = $4 AND r.status = 'active')
                  AND NOT EXISTS (SELECT 1 FROM number_service_use u
                                  WHERE u.number = n.number AND u.service_id = $4)""")
                .execute(Tuple.tuple().addUUID(id).addUUID(purchaseId).addString(number).addInteger(serviceId)
                        .addString(areaCode).addInteger(priceCents))
                .chain(rows -> rows.rowCount() == 0 ? Uni.createFrom().item(false) : markReserved(db, number, false));
    }

    /** Takes a locked pristine number for a rental; false when it no longer qualifies. */
    public Uni<Boolean> insertLong(SqlClient db, UUID id, UUID purchaseId, String number, int serviceId, int days,
            String areaCode, int priceCents) {
        return markReserved(db, number, true).chain(taken -> !taken
                ? Uni.createFrom().item(false)
                : db.preparedQuery(
                        """
                                INSERT INTO reservation (id, purchase_id, number, service_id, mode, days, area_code, price_cents)
                                VALUES ($1, $2, $3, $4, 'long', $5, $6, $7)""")
                        .execute(Tuple.tuple().addUUID(id).addUUID(purchaseId).addString(number).addInteger(serviceId)
                                .addInteger(days).addString(areaCode).addInteger(priceCents))
                        .replaceWith(true));
    }

    private Uni<Boolean> markReserved(SqlClient db, String number, boolean rent) {
        String sql = rent
                ? """
                        UPDATE phone_number SET state = 'rented', pristine = FALSE, last_reserved_at = now(),
                               updated_at = now()
                        WHERE number = $1 AND state = 'available' AND pristine
                          AND NOT EXISTS (SELECT 1 FROM reservation r WHERE r.number = $1 AND r.status = 'active')"""
                : """
                        UPDATE phone_number SET pristine = FALSE, last_reserved_at = now(), updated_at = now()
                        WHERE number = $1""";
        return db.preparedQuery(sql).execute(Tuple.of(number)).map(rows -> rows.rowCount() == 1);
    }

    /** Ends an active reservation; empty when it was not active (already ended, or unknown). */
    public Uni<Optional<Reservation>> end(SqlClient db, UUID purchaseId, String status, String reason) {
        return db.preparedQuery("""
                WITH ended AS (
                    UPDATE reservation SET status = $2, ended_reason = $3, ended_at = now()
                    WHERE purchase_id = $1 AND status = 'active' RETURNING *)
                SELECT e.*, s.slug, s.name FROM ended e JOIN service s ON s.id = e.service_id""")
                .execute(Tuple.of(purchaseId, status, reason))
                .map(ReservationRepository::first);
    }

    private static Optional<Reservation> first(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        String number = row.getString("number");
        return Optional.of(new Reservation(row.getUUID("id"), row.getUUID("purchase_id"), number,
                PhoneNumbers.display(number), row.getInteger("service_id"), row.getString("slug"),
                row.getString("name"), row.getString("mode"), row.getInteger("days"), row.getString("area_code"),
                row.getInteger("price_cents"), row.getString("status"), NumberRepository.instant(row, "created_at"),
                NumberRepository.instant(row, "ended_at")));
    }

    private static Optional<String> firstNumber(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0));
    }
}
