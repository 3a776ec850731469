package com.fetchsms.catalog.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.catalog.domain.CatalogEntry;
import com.fetchsms.common.contract.PurchaseMode;
import com.fetchsms.common.contract.Reservation;
import com.fetchsms.common.contract.ReservationStatus;
import com.fetchsms.catalog.domain.ServiceRef;
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
     * What one statement finds for a reservation request: the service named, the purchase's reservation if it has
     * one, the term's price (rentals), and a number locked for the request (none when the purchase already has a
     * reservation, the service is not sold in the mode, or nothing is free).
     */
    public record Claim(Optional<CatalogEntry> service, Optional<Reservation> existing, Integer termCents,
            Optional<String> candidate) {
    }

    /**
     * Reads the request's service and reservation and locks a candidate number, in one statement. The candidate is
     * the first row after a random start (wrapping around) of an index: one index descent whatever the size of the
     * inventory or the number of reservations, and concurrent requests start at different points
     * ({@code FOR UPDATE SKIP LOCKED} steps over the rows others hold). A verification takes a non-pristine number
     * from {@code short_pool} (which holds only the pairs it may take, ordered by when they entered it; the start is
     * drawn in SQL) before a pristine one (ordered by the number's random {@code pick_key}; the start is
     * {@code start}), so pristine numbers are kept for rentals; a rental takes only pristine numbers.
     */
    public Uni<Claim> claim(SqlClient db, UUID purchaseId, ServiceRef ref, PurchaseMode mode, Integer days,
            String areaCode,
            int start) {
        // each branch runs only if the previous ones found nothing; the gate is evaluated once, before any row is read
        String gate = "r.id IS NULL AND s.active AND s.product = '" + mode.code() + "'";
        List<String> branches = new ArrayList<>();
        if (mode == PurchaseMode.SHORT) {
            for (String from : List.of(">=", "<")) {
                branches.add("""
                        SELECT * FROM (SELECT n.number FROM short_pool p JOIN phone_number n USING (number)
                                       WHERE p.service_id = s.id%s AND p.position %s (SELECT position FROM start)
                                         AND n.state = 'available' AND %s
                                       ORDER BY p.position LIMIT 1 FOR UPDATE OF n SKIP LOCKED) AS pooled"""
                        .formatted(areaCode == null ? "" : " AND p.area_code = $5", from, gate));
            }
        }
        for (String from : List.of(">=", "<")) {
            branches.add("""
                    SELECT * FROM (SELECT n.number FROM phone_number n
                                   WHERE n.state = 'available' AND n.pristine%s AND n.pick_key %s $3 AND %s
                                   ORDER BY n.pick_key LIMIT 1 FOR UPDATE OF n SKIP LOCKED) AS pristine"""
                    .formatted(areaCode == null ? "" : " AND n.area_code = $5", from, gate));
        }
        String sql = """
                WITH start AS MATERIALIZED (
                    SELECT floor(random() * (last_value + 1))::bigint AS position FROM short_pool_position)
                %s
                LEFT JOIN LATERAL (SELECT number FROM (%s) AS candidates LIMIT 1) AS c ON TRUE"""
                .formatted(claimHead(ref, 4), String.join("\nUNION ALL\n", branches));
        Tuple args = Tuple.tuple().addValue(ref.id() != null ? ref.id() : ref.slug()).addUUID(purchaseId)
                .addInteger(start).addInteger(days);
        if (areaCode != null) {
            args.addString(areaCode);
        }
        return db.preparedQuery(sql).execute(args).map(rows -> claim(rows.iterator().next()));
    }

    /**
     * The part every claim statement shares (the sandbox's too): the service named by {@code $1} (id or slug, as
     * {@code ref} holds), the purchase {@code $2}'s reservation, the price of the term in parameter {@code daysParam};
     * the statement joins its candidate number as {@code c}. {@link #claim(Row)} reads its row.
     */
    static String claimHead(ServiceRef ref, int daysParam) {
        return """
                SELECT s.id AS s_id, s.slug AS s_slug, s.name AS s_name, s.price_cents AS s_price_cents,
                       s.product AS s_product, s.display_order AS s_display_order, s.active AS s_active,
                       (SELECT total_cents FROM long_term_price WHERE days = $%d) AS term_cents,
                       r.*, rs.slug, rs.name, c.number AS candidate
                FROM (VALUES (1)) AS one (x)
                LEFT JOIN service s ON s.%s = $1
                LEFT JOIN reservation r ON r.purchase_id = $2
                LEFT JOIN service rs ON rs.id = r.service_id""".formatted(daysParam, ref.id() != null ? "id" : "slug");
    }

    /**
     * A claim statement's one row: the service ({@code s_…} columns), the purchase's reservation ({@code r.*}), the
     * term's price ({@code term_cents}) and the locked number ({@code candidate}). Shared by the sandbox's claim.
     */
    static Claim claim(Row row) {
        Optional<CatalogEntry> service = row.getInteger("s_id") == null
                ? Optional.empty()
                : Optional.of(new CatalogEntry(row.getInteger("s_id"), row.getString("s_slug"),
                        row.getString("s_name"), row.getInteger("s_price_cents"),
                        PurchaseMode.of(row.getString("s_product")), row.getInteger("s_display_order"),
                        row.getBoolean("s_active")));
        Optional<Reservation> existing = row.getUUID("purchase_id") == null
                ? Optional.empty()
                : Optional.of(reservation(row));
        return new Claim(service, existing, row.getInteger("term_cents"),
                Optional.ofNullable(row.getString("candidate")));
    }

    /**
     * Reserves a locked number for a verification if it still qualifies, re-checked in this new statement (under READ
     * COMMITTED it sees every reservation committed by whoever held the lock before): not held for the service, never
     * delivered a code for it, not retired from it (decision 0022). Marks the number used. Empty when the number no
     * longer qualifies.
     */
    public Uni<Optional<Reservation>> takeShort(SqlClient db, UUID id, UUID purchaseId, String number, int serviceId,
            String areaCode, int priceCents) {
        return db.preparedQuery("""
                WITH taken AS (
                    INSERT INTO reservation (id, purchase_id, number, service_id, mode, area_code, price_cents)
                    SELECT $1, $2, n.number, $4, 'short', $5, $6 FROM phone_number n
                    WHERE n.number = $3 AND n.state = 'available'
                      AND NOT EXISTS (SELECT 1 FROM reservation r
                                      WHERE r.number = n.number AND r.service_id = $4 AND r.status = 'active')
                      AND NOT EXISTS (SELECT 1 FROM number_service_use u
                                      WHERE u.number = n.number AND u.service_id = $4)
                      AND NOT EXISTS (SELECT 1 FROM number_service_health h
                                      WHERE h.number = n.number AND h.service_id = $4 AND h.retired_at IS NOT NULL)
                    RETURNING *),
                marked AS (
                    UPDATE phone_number SET pristine = FALSE, last_reserved_at = now(), updated_at = now()
                    WHERE number = (SELECT number FROM taken))
                SELECT t.*, s.slug, s.name FROM taken t JOIN service s ON s.id = t.service_id""")
                .execute(Tuple.tuple().addUUID(id).addUUID(purchaseId).addString(number).addInteger(serviceId)
                        .addString(areaCode).addInteger(priceCents))
                .map(ReservationRepository::first);
    }

    /** A rental's reservation and the gateway serving its number. */
    public record Rented(Reservation reservation, UUID gatewayId) {
    }

    /**
     * Rents a locked number if it is still pristine and free, re-checked in this new statement. Empty when it no
     * longer qualifies.
     */
    public Uni<Optional<Rented>> takeLong(SqlClient db, UUID id, UUID purchaseId, String number, int serviceId,
            int days, String areaCode, int priceCents) {
        return db.preparedQuery("""
                WITH rented AS (
                    UPDATE phone_number SET state = 'rented', pristine = FALSE, last_reserved_at = now(),
                           updated_at = now()
                    WHERE number = $3 AND state = 'available' AND pristine
                      AND NOT EXISTS (SELECT 1 FROM reservation r WHERE r.number = $3 AND r.status = 'active')
                    RETURNING number, gateway_id),
                taken AS (
                    INSERT INTO reservation (id, purchase_id, number, service_id, mode, days, area_code, price_cents)
                    SELECT $1, $2, number, $4, 'long', $5, $6, $7 FROM rented
                    RETURNING *)
                SELECT t.*, s.slug, s.name, rented.gateway_id
                FROM taken t JOIN service s ON s.id = t.service_id CROSS JOIN rented""")
                .execute(Tuple.tuple().addUUID(id).addUUID(purchaseId).addString(number).addInteger(serviceId)
                        .addInteger(days).addString(areaCode).addInteger(priceCents))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(new Rented(reservation(rows.iterator().next()),
                                rows.iterator().next().getUUID("gateway_id"))));
    }

    /**
     * A short reservation ended because its code was delivered: the pair the number has now served, when the pair was
     * reserved and when the code arrived.
     */
    public record Completed(UUID purchaseId, String number, int serviceId, Instant reservedAt, Instant deliveredAt) {
    }

    /**
     * Ends, in one statement, the active short reservations of these purchases as completed (their codes were
     * delivered at {@code deliveredAt[i]}); answers the ones it ended. Purchases with no active short reservation are
     * left alone.
     */
    public Uni<List<Completed>> completeShort(SqlClient db, List<UUID> purchaseIds, List<Instant> deliveredAt) {
        return db.preparedQuery("""
                UPDATE reservation r SET status = 'completed', ended_reason = 'code_delivered', ended_at = now(),
                       delivered_at = d.at
                FROM (SELECT DISTINCT ON (id) id, at FROM unnest($1::uuid[], $2::timestamptz[]) AS d(id, at)) AS d
                WHERE r.purchase_id = d.id AND r.status = 'active' AND r.mode = 'short'
                RETURNING r.purchase_id, r.number, r.service_id, r.created_at, r.delivered_at""")
                .execute(Tuple.of(purchaseIds.toArray(UUID[]::new),
                        deliveredAt.stream().map(NumberRepository::utc).toArray(OffsetDateTime[]::new)))
                .map(rows -> {
                    List<Completed> completed = new ArrayList<>(rows.size());
                    rows.forEach(row -> completed.add(new Completed(row.getUUID(0), row.getString(1),
                            row.getInteger(2), NumberRepository.instant(row, "created_at"),
                            NumberRepository.instant(row, "delivered_at"))));
                    return completed;
                });
    }

    /**
     * Ends an active reservation; empty when it was not active (already ended, or unknown). A completion records when
     * its code arrived ({@code deliveredAt}; null: now).
     */
    public Uni<Optional<Reservation>> end(SqlClient db, UUID purchaseId, ReservationStatus status, String reason,
            Instant deliveredAt) {
        return db.preparedQuery("""
                WITH ended AS (
                    UPDATE reservation SET status = $2, ended_reason = $3, ended_at = now(),
                           delivered_at = CASE WHEN $2 = 'completed' THEN COALESCE($4, now()) END
                    WHERE purchase_id = $1 AND status = 'active' RETURNING *)
                SELECT e.*, s.slug, s.name FROM ended e JOIN service s ON s.id = e.service_id""")
                .execute(Tuple.of(purchaseId, status.code(), reason,
                        deliveredAt == null ? null : NumberRepository.utc(deliveredAt)))
                .map(ReservationRepository::first);
    }

    private static Optional<Reservation> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(reservation(rows.iterator().next()));
    }

    /** A reservation as stored (a row of {@code reservation} with its service's slug and name). */
    static Reservation reservation(Row row) {
        String number = row.getString("number");
        return new Reservation(row.getUUID("id"), row.getUUID("purchase_id"), number, PhoneNumbers.display(number),
                row.getInteger("service_id"), row.getString("slug"), row.getString("name"),
                PurchaseMode.of(row.getString("mode")),
                row.getInteger("days"), row.getString("area_code"), row.getInteger("price_cents"),
                ReservationStatus.of(row.getString("status")), NumberRepository.instant(row, "created_at"),
                NumberRepository.instant(row, "ended_at"), row.getBoolean("sandbox"));
    }
}
