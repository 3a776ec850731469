package com.fetchsms.catalog.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.catalog.domain.ServiceRef;
import com.fetchsms.common.contract.PurchaseMode;
import com.fetchsms.common.contract.Reservation;
import com.fetchsms.common.sandbox.Sandbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The sandbox's numbers (state {@value Sandbox#NUMBER_STATE}) and the reservations of test keys' purchases on them.
 * They are never part of the live inventory: every live pool, index and count reads state {@code available}, and the
 * live allocation ({@link ReservationRepository}) never reads a sandbox number. A sandbox allocation is the live one's
 * protocol on a few hundred rows: the claim locks a free candidate ({@code FOR UPDATE SKIP LOCKED}, in random order),
 * the take re-checks it in a new statement (READ COMMITTED: it sees every reservation committed by whoever held the
 * lock before) and inserts the reservation; the partial unique indexes of {@code reservation} back it up.
 *
 * <p>
 * A sandbox number serves any number of services at once, one active short reservation per service, unless a
 * sandbox rental holds it (then nothing else); a sandbox rental takes a number with no active reservation at all.
 * Ending a sandbox reservation leaves the number as it was: sandbox numbers are reused for ever.
 */
@ApplicationScoped
public class SandboxNumberRepository {

    /** Inserts the sandbox numbers that are new (idempotent); answers those actually added. */
    public Uni<List<String>> stock(SqlClient db, List<String> numbers) {
        return db.preparedQuery("""
                INSERT INTO phone_number (number, area_code, gateway_id, state, pristine)
                SELECT n, substr(n, 3, 3), $2, 'sandbox', FALSE FROM unnest($1::text[]) AS n
                ON CONFLICT (number) DO NOTHING
                RETURNING number""")
                .execute(Tuple.of(numbers.toArray(String[]::new), Sandbox.GATEWAY_ID))
                .map(SandboxNumberRepository::numbers);
    }

    /** The numbers of {@code numbers} that are in the inventory as something else than sandbox numbers. */
    public Uni<List<String>> notSandbox(SqlClient db, List<String> numbers) {
        return db.preparedQuery("""
                SELECT number FROM phone_number WHERE number = ANY($1) AND state <> 'sandbox' ORDER BY number""")
                .execute(Tuple.of((Object) numbers.toArray(String[]::new))).map(SandboxNumberRepository::numbers);
    }

    /**
     * What one statement finds for a sandbox reservation request, as {@link ReservationRepository#claim} does for a
     * live one: the service, the purchase's reservation if it has one, the term's price, and a sandbox number of
     * {@code areaCodes} (of {@code areaCode} when given) locked for the request: for a verification one with no active
     * reservation for the service and no active rental; for a rental one with no active reservation at all.
     */
    public Uni<ReservationRepository.Claim> claim(SqlClient db, UUID purchaseId, ServiceRef ref, PurchaseMode mode,
            Integer days, String areaCode, List<String> areaCodes) {
        String free = mode == PurchaseMode.SHORT
                ? """
                        NOT EXISTS (SELECT 1 FROM reservation o WHERE o.number = n.number AND o.service_id = s.id
                                                                 AND o.status = 'active')
                        AND NOT EXISTS (SELECT 1 FROM reservation o WHERE o.number = n.number AND o.mode = 'long'
                                                                     AND o.status = 'active')"""
                : """
                        NOT EXISTS (SELECT 1 FROM reservation o WHERE o.number = n.number AND o.status = 'active')""";
        String sql = """
                %s
                LEFT JOIN LATERAL (
                    SELECT n.number FROM phone_number n
                    WHERE n.state = 'sandbox' AND n.area_code = ANY($4)%s
                      AND r.id IS NULL AND s.active AND s.product = '%s'
                      AND %s
                    ORDER BY random() LIMIT 1 FOR UPDATE OF n SKIP LOCKED) AS c ON TRUE"""
                .formatted(ReservationRepository.claimHead(ref, 3), areaCode == null ? "" : " AND n.area_code = $5",
                        mode.code(), free);
        Tuple args = Tuple.tuple().addValue(ref.id() != null ? ref.id() : ref.slug()).addUUID(purchaseId)
                .addInteger(days).addArrayOfString(areaCodes.toArray(String[]::new));
        if (areaCode != null) {
            args.addString(areaCode);
        }
        return db.preparedQuery(sql).execute(args).map(rows -> ReservationRepository.claim(rows.iterator().next()));
    }

    /**
     * Reserves a locked sandbox number for a sandbox purchase if it is still free, re-checked in this new statement
     * (the rules of {@link #claim}). The number itself is not changed (no state, no pristine flag, no pool): only when
     * it was last reserved. Empty when it no longer qualifies.
     */
    public Uni<Optional<Reservation>> take(SqlClient db, UUID id, UUID purchaseId, String number, int serviceId,
            PurchaseMode mode, Integer days, String areaCode, int priceCents) {
        return db.preparedQuery("""
                WITH taken AS (
                    INSERT INTO reservation (id, purchase_id, number, service_id, mode, days, area_code, price_cents,
                                             sandbox)
                    SELECT $1, $2, n.number, $4, $5, $6, $7, $8, TRUE FROM phone_number n
                    WHERE n.number = $3 AND n.state = 'sandbox'
                      AND NOT EXISTS (SELECT 1 FROM reservation r
                                      WHERE r.number = n.number AND r.status = 'active'
                                        AND ($5 = 'long' OR r.mode = 'long' OR r.service_id = $4))
                    RETURNING *),
                marked AS (
                    UPDATE phone_number SET last_reserved_at = now() WHERE number = (SELECT number FROM taken))
                SELECT t.*, s.slug, s.name FROM taken t JOIN service s ON s.id = t.service_id""")
                .execute(Tuple.tuple().addUUID(id).addUUID(purchaseId).addString(number).addInteger(serviceId)
                        .addString(mode.code()).addInteger(days).addString(areaCode).addInteger(priceCents))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(ReservationRepository.reservation(rows.iterator().next())));
    }

    /**
     * Ends, in one statement, the active sandbox verifications among these purchases as completed (their codes were
     * delivered at {@code deliveredAt[i]}); answers the purchases it ended. Nothing else is recorded: a sandbox
     * number serves the service again at once.
     */
    public Uni<Set<UUID>> completeShort(SqlClient db, List<UUID> purchaseIds, List<Instant> deliveredAt) {
        return db.preparedQuery("""
                UPDATE reservation r SET status = 'completed', ended_reason = 'code_delivered', ended_at = now(),
                       delivered_at = d.at
                FROM (SELECT DISTINCT ON (id) id, at FROM unnest($1::uuid[], $2::timestamptz[]) AS d(id, at)) AS d
                WHERE r.purchase_id = d.id AND r.status = 'active' AND r.mode = 'short' AND r.sandbox
                RETURNING r.purchase_id""")
                .execute(Tuple.of(purchaseIds.toArray(UUID[]::new),
                        deliveredAt.stream().map(NumberRepository::utc).toArray(OffsetDateTime[]::new)))
                .map(rows -> {
                    Set<UUID> completed = new HashSet<>();
                    rows.forEach(row -> completed.add(row.getUUID(0)));
                    return completed;
                });
    }

    private static List<String> numbers(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<String> numbers = new ArrayList<>();
        rows.forEach(row -> numbers.add(row.getString(0)));
        return numbers;
    }
}
