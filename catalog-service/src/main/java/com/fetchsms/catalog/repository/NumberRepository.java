package com.fetchsms.catalog.repository;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.catalog.domain.PhoneNumber;
import com.fetchsms.common.phone.PhoneNumbers;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code phone_number} inventory and its per-service use history. Availability follows ARCHITECTURE.md: a number
 * is offered for a service's verification when it is {@code available}, holds no active reservation for that service,
 * never delivered a code for it and is not retired from it (decision 0022); it is offered for a rental only while
 * pristine.
 */
@ApplicationScoped
public class NumberRepository {

    /** Numbers in the pool that a verification of the service could take right now. */
    static final String AVAILABLE_FOR_SERVICE = """
            n.state = 'available'
            AND NOT EXISTS (SELECT 1 FROM reservation r
                            WHERE r.number = n.number AND r.service_id = $1 AND r.status = 'active')
            AND NOT EXISTS (SELECT 1 FROM number_service_use u WHERE u.number = n.number AND u.service_id = $1)
            AND NOT EXISTS (SELECT 1 FROM number_service_health h
                            WHERE h.number = n.number AND h.service_id = $1 AND h.retired_at IS NOT NULL)""";

    /** Short-term stock per service id: available numbers minus those blocked for the service. */
    public Uni<Map<Integer, Long>> shortAvailability(SqlClient db) {
        return db.query("""
                WITH blocked AS (
                    SELECT service_id, count(DISTINCT number) AS blocked FROM (
                        SELECT r.service_id, r.number FROM reservation r JOIN phone_number n USING (number)
                        WHERE r.status = 'active' AND r.mode = 'short' AND n.state = 'available'
                        UNION
                        SELECT u.service_id, u.number FROM number_service_use u JOIN phone_number n USING (number)
                        WHERE n.state = 'available'
                        UNION
                        SELECT h.service_id, h.number FROM number_service_health h JOIN phone_number n USING (number)
                        WHERE h.retired_at IS NOT NULL AND n.state = 'available') b
                    GROUP BY service_id)
                SELECT s.id, (SELECT count(*) FROM phone_number WHERE state = 'available')
                             - COALESCE(b.blocked, 0) AS available
                FROM service s LEFT JOIN blocked b ON b.service_id = s.id""").execute().map(rows -> {
            Map<Integer, Long> stock = new HashMap<>();
            rows.forEach(row -> stock.put(row.getInteger("id"), row.getLong("available")));
            return stock;
        });
    }

    /** Pristine numbers, the long-term stock. */
    public Uni<Long> pristineCount(SqlClient db) {
        return db.query("SELECT count(*) FROM phone_number WHERE state = 'available' AND pristine").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<List<String>> areaCodesForService(SqlClient db, int serviceId) {
        return db.preparedQuery("SELECT DISTINCT n.area_code FROM phone_number n WHERE " + AVAILABLE_FOR_SERVICE
                + " ORDER BY n.area_code").execute(Tuple.of(serviceId)).map(NumberRepository::areaCodes);
    }

    public Uni<List<String>> areaCodesShort(SqlClient db) {
        return db.query("SELECT DISTINCT area_code FROM phone_number WHERE state = 'available' ORDER BY area_code")
                .execute().map(NumberRepository::areaCodes);
    }

    public Uni<List<String>> areaCodesPristine(SqlClient db) {
        return db.query("""
                SELECT DISTINCT area_code FROM phone_number WHERE state = 'available' AND pristine
                ORDER BY area_code""").execute().map(NumberRepository::areaCodes);
    }

    /** Inserts the numbers that are new; answers those actually added. */
    public Uni<List<String>> addAll(SqlClient db, UUID gatewayId, List<String> numbers) {
        String[] all = numbers.toArray(String[]::new);
        return db.preparedQuery("""
                INSERT INTO phone_number (number, area_code, gateway_id)
                SELECT n, substr(n, 3, 3), $2 FROM unnest($1::text[]) AS n
                ON CONFLICT (number) DO NOTHING
                RETURNING number""")
                .execute(Tuple.of(all, gatewayId))
                .map(rows -> {
                    List<String> added = new ArrayList<>();
                    rows.forEach(row -> added.add(row.getString(0)));
                    return added;
                });
    }

    public Uni<List<PhoneNumber>> list(SqlClient db, String areaCode, String state, String after, int limit) {
        return db.preparedQuery("""
                SELECT n.*, (SELECT count(*) FROM reservation r
                             WHERE r.number = n.number AND r.status = 'active') AS active_reservations
                FROM phone_number n
                WHERE ($1::text IS NULL OR n.area_code = $1) AND ($2::text IS NULL OR n.state = $2)
                  AND ($3::text IS NULL OR n.number > $3)
                ORDER BY n.number LIMIT $4""")
                .execute(Tuple.of(areaCode, state, after, limit))
                .map(rows -> {
                    List<PhoneNumber> list = new ArrayList<>();
                    rows.forEach(row -> list.add(toNumber(row)));
                    return list;
                });
    }

    /** Locks and reads one number (for retiring it). */
    public Uni<Optional<PhoneNumber>> lock(SqlClient db, String number) {
        return db.preparedQuery("""
                SELECT n.*, (SELECT count(*) FROM reservation r
                             WHERE r.number = n.number AND r.status = 'active') AS active_reservations
                FROM phone_number n WHERE n.number = $1 FOR UPDATE""")
                .execute(Tuple.of(number))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toNumber(rows.iterator().next())));
    }

    public Uni<Void> retire(SqlClient db, String number) {
        return db.preparedQuery("""
                UPDATE phone_number SET state = 'retired', retired_at = now(), updated_at = now()
                WHERE number = $1""").execute(Tuple.of(number)).replaceWithVoid();
    }

    /** Ends a long-term hold: the number goes back to the short-term pool, no longer pristine. */
    public Uni<Boolean> returnFromRental(SqlClient db, String number) {
        return db.preparedQuery("""
                UPDATE phone_number SET state = 'available', updated_at = now()
                WHERE number = $1 AND state = 'rented'""").execute(Tuple.of(number))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> recordUse(SqlClient db, String number, List<Integer> serviceIds) {
        if (serviceIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return db.preparedQuery("""
                INSERT INTO number_service_use (number, service_id)
                SELECT $1, s FROM unnest($2::int[]) AS s ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(number, serviceIds.toArray(Integer[]::new))).replaceWithVoid();
    }

    /** Records, in one statement, that each {@code numbers[i]} served {@code serviceIds[i]}. */
    public Uni<Void> recordUses(SqlClient db, List<String> numbers, List<Integer> serviceIds) {
        if (numbers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return db.preparedQuery("""
                INSERT INTO number_service_use (number, service_id)
                SELECT n, s FROM unnest($1::text[], $2::int[]) AS u(n, s) ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(numbers.toArray(String[]::new), serviceIds.toArray(Integer[]::new)))
                .replaceWithVoid();
    }

    public Uni<Optional<UUID>> gatewayOf(SqlClient db, String number) {
        return db.preparedQuery("SELECT gateway_id FROM phone_number WHERE number = $1").execute(Tuple.of(number))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(rows.iterator().next().getUUID(0)));
    }

    private static List<String> areaCodes(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<String> codes = new ArrayList<>();
        rows.forEach(row -> codes.add(row.getString(0)));
        return codes;
    }

    private static PhoneNumber toNumber(Row row) {
        String number = row.getString("number");
        return new PhoneNumber(number, PhoneNumbers.display(number), row.getString("area_code"),
                row.getUUID("gateway_id"), row.getString("state"), row.getBoolean("pristine"),
                row.getLong("active_reservations").intValue(), instant(row, "created_at"), instant(row, "retired_at"));
    }

    static Instant instant(Row row, String column) {
        var value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    static java.time.OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
