package com.fetchsms.catalog.repository;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.catalog.domain.NumberHealth;
import com.fetchsms.catalog.domain.Retirement;
import com.fetchsms.catalog.domain.ServiceHealth;
import com.fetchsms.common.phone.PhoneNumbers;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * How numbers do per service ({@code number_service_health}), the reports of their rentals, and the log of their
 * automatic retirements ({@code number_retirement}); decision 0022.
 */
@ApplicationScoped
public class NumberHealthRepository {

    /** A code delivered on a pair by a verification reserved at {@code reservedAt}. */
    public record Delivered(String number, int serviceId, Instant reservedAt, Instant deliveredAt) {
    }

    /** A pair's counts right after a failure was recorded. */
    public record Counted(int reports, int expiries, int consecutiveFailures, boolean retired) {
    }

    /**
     * Records delivered codes in one statement: each pair's codes grow, its run of failures ends, and failures of
     * reservations made before the delivering one no longer add to a run (they may be read after the code).
     */
    public Uni<Void> recordCodes(SqlClient db, List<Delivered> delivered) {
        if (delivered.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int size = delivered.size();
        String[] numbers = new String[size];
        Integer[] services = new Integer[size];
        java.time.OffsetDateTime[] reserved = new java.time.OffsetDateTime[size];
        java.time.OffsetDateTime[] at = new java.time.OffsetDateTime[size];
        for (int i = 0; i < size; i++) {
            Delivered one = delivered.get(i);
            numbers[i] = one.number();
            services[i] = one.serviceId();
            reserved[i] = NumberRepository.utc(one.reservedAt());
            at[i] = NumberRepository.utc(one.deliveredAt());
        }
        return db.preparedQuery("""
                INSERT INTO number_service_health AS h (number, service_id, codes, streak_since, last_code_at)
                SELECT n, s, count(*), max(r), max(d)
                FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::timestamptz[]) AS c(n, s, r, d)
                GROUP BY n, s
                ON CONFLICT (number, service_id) DO UPDATE SET
                    codes = h.codes + EXCLUDED.codes,
                    consecutive_failures = 0,
                    streak_since = GREATEST(h.streak_since, EXCLUDED.streak_since),
                    last_code_at = GREATEST(h.last_code_at, EXCLUDED.last_code_at),
                    updated_at = now()""")
                .execute(Tuple.of(numbers, services, reserved, at)).replaceWithVoid();
    }

    /**
     * Whether a number other than {@code number} delivered a code for the service between {@code from} and
     * {@code to} (a live code: a simulated SMS to a sandbox number says nothing about the service): one descent of the
     * index {@code reservation_delivered}, stopping at the first such code. Events carry their times to the second, so
     * {@code from} is taken to its second too.
     */
    public Uni<Boolean> otherNumberDelivered(SqlClient db, int serviceId, String number, Instant from, Instant to) {
        return db.preparedQuery("""
                SELECT EXISTS (SELECT 1 FROM reservation c
                               WHERE c.service_id = $1 AND c.status = 'completed'
                                 AND c.delivered_at >= $2 AND c.delivered_at <= $3 AND c.number <> $4
                                 AND NOT c.sandbox)""")
                .execute(Tuple.of(serviceId, NumberRepository.utc(from.truncatedTo(ChronoUnit.SECONDS)),
                        NumberRepository.utc(to), number))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /**
     * Counts one failure of the pair (a report, or an expiry that counts) by a verification reserved at
     * {@code reservedAt}: it adds to the run of failures unless the pair delivered a code, or was reset, after that
     * reservation. Concurrent failures of one pair queue on its row.
     */
    public Uni<Counted> recordFailure(SqlClient db, String number, int serviceId, boolean reported,
            Instant reservedAt) {
        return db.preparedQuery("""
                INSERT INTO number_service_health AS h (number, service_id, reports, expiries, consecutive_failures,
                                                        last_failure_at)
                VALUES ($1, $2, $3, $4, 1, now())
                ON CONFLICT (number, service_id) DO UPDATE SET
                    reports = h.reports + EXCLUDED.reports,
                    expiries = h.expiries + EXCLUDED.expiries,
                    consecutive_failures = h.consecutive_failures
                        + CASE WHEN h.streak_since IS NULL OR h.streak_since < $5 THEN 1 ELSE 0 END,
                    last_failure_at = now(),
                    updated_at = now()
                RETURNING reports, expiries, consecutive_failures, retired_at""")
                .execute(Tuple.tuple().addString(number).addInteger(serviceId).addInteger(reported ? 1 : 0)
                        .addInteger(reported ? 0 : 1).addOffsetDateTime(NumberRepository.utc(reservedAt)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Counted(row.getInteger("reports"), row.getInteger("expiries"),
                            row.getInteger("consecutive_failures"), row.getValue("retired_at") != null);
                });
    }

    /**
     * Retires the pair from its service, recording why, unless it is retired already or this purchase retired
     * something before; answers the retirement's id when it did.
     */
    public Uni<Optional<Long>> retirePair(SqlClient db, String number, int serviceId, UUID purchaseId) {
        return db.preparedQuery("""
                WITH retirement AS (
                    INSERT INTO number_retirement (number, service_id, reason, purchase_id, consecutive_failures,
                                                   reports, expiries, rental_reports)
                    SELECT h.number, h.service_id, 'consecutive_failures', $3, h.consecutive_failures, h.reports,
                           h.expiries, n.rental_reports
                    FROM number_service_health h JOIN phone_number n USING (number)
                    WHERE h.number = $1 AND h.service_id = $2 AND h.retired_at IS NULL
                    ON CONFLICT (purchase_id) DO NOTHING
                    RETURNING id, retired_at)
                UPDATE number_service_health h SET retired_at = r.retired_at, retirement_id = r.id, updated_at = now()
                FROM retirement r WHERE h.number = $1 AND h.service_id = $2
                RETURNING r.id""")
                .execute(Tuple.of(number, serviceId, purchaseId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong(0)));
    }

    /** Counts a reported rental against the number; answers its reports so far. */
    public Uni<Integer> recordRentalReport(SqlClient db, String number) {
        return db.preparedQuery("""
                UPDATE phone_number SET rental_reports = rental_reports + 1 WHERE number = $1
                RETURNING rental_reports""")
                .execute(Tuple.of(number)).map(rows -> rows.iterator().next().getInteger(0));
    }

    /** Records the retirement of a whole number for its reported rentals (once per purchase). */
    public Uni<Void> recordNumberRetirement(SqlClient db, String number, UUID purchaseId) {
        return db.preparedQuery("""
                INSERT INTO number_retirement (number, service_id, reason, purchase_id, consecutive_failures, reports,
                                               expiries, rental_reports)
                SELECT n.number, NULL, 'rental_reported', $2, 0,
                       COALESCE((SELECT sum(reports) FROM number_service_health WHERE number = n.number), 0),
                       COALESCE((SELECT sum(expiries) FROM number_service_health WHERE number = n.number), 0),
                       n.rental_reports
                FROM phone_number n WHERE n.number = $1
                ON CONFLICT (purchase_id) DO NOTHING""")
                .execute(Tuple.of(number, purchaseId)).replaceWithVoid();
    }

    /**
     * Gives a retired pair back to its service: the retirement is marked undone and the run of failures starts
     * again from now (failures of earlier reservations no longer add to it). Answers whether the pair was retired.
     */
    public Uni<Boolean> undo(SqlClient db, String number, int serviceId) {
        return db.preparedQuery("""
                WITH undone AS (
                    UPDATE number_retirement SET undone_at = now()
                    WHERE id = (SELECT retirement_id FROM number_service_health WHERE number = $1 AND service_id = $2)
                      AND undone_at IS NULL
                    RETURNING id)
                UPDATE number_service_health SET retired_at = NULL, retirement_id = NULL, consecutive_failures = 0,
                       streak_since = now(), updated_at = now()
                WHERE number = $1 AND service_id = $2
                RETURNING (SELECT count(*) FROM undone) AS undone""")
                .execute(Tuple.of(number, serviceId))
                .map(rows -> rows.size() > 0 && rows.iterator().next().getLong(0) > 0);
    }

    /** A number's health, or empty when it is not in the inventory. */
    public Uni<Optional<NumberHealth>> find(SqlClient db, String number) {
        return db.preparedQuery("""
                SELECT n.number, n.state, n.rental_reports, n.retired_at AS number_retired_at,
                       h.service_id, s.slug, s.name, h.codes, h.reports, h.expiries, h.consecutive_failures,
                       h.last_code_at, h.last_failure_at, h.retired_at, rt.reason
                FROM phone_number n
                LEFT JOIN number_service_health h ON h.number = n.number
                LEFT JOIN service s ON s.id = h.service_id
                LEFT JOIN number_retirement rt ON rt.id = h.retirement_id
                WHERE n.number = $1
                ORDER BY h.service_id""")
                .execute(Tuple.of(number)).map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    List<ServiceHealth> services = new ArrayList<>();
                    Row first = null;
                    for (Row row : rows) {
                        first = first == null ? row : first;
                        if (row.getInteger("service_id") != null) {
                            services.add(new ServiceHealth(row.getInteger("service_id"), row.getString("slug"),
                                    row.getString("name"), row.getInteger("codes"), row.getInteger("reports"),
                                    row.getInteger("expiries"), row.getInteger("consecutive_failures"),
                                    NumberRepository.instant(row, "last_code_at"),
                                    NumberRepository.instant(row, "last_failure_at"),
                                    NumberRepository.instant(row, "retired_at"), row.getString("reason")));
                        }
                    }
                    return Optional.of(new NumberHealth(first.getString("number"),
                            PhoneNumbers.display(first.getString("number")), first.getString("state"),
                            first.getInteger("rental_reports"), NumberRepository.instant(first, "number_retired_at"),
                            services));
                });
    }

    /** Retirements newest first, those before the id {@code before} (null: from the newest). */
    public Uni<List<Retirement>> list(SqlClient db, Long before, int limit) {
        return db.preparedQuery("""
                SELECT rt.*, s.slug FROM number_retirement rt LEFT JOIN service s ON s.id = rt.service_id
                WHERE ($1::bigint IS NULL OR rt.id < $1)
                ORDER BY rt.id DESC LIMIT $2""")
                .execute(Tuple.of(before, limit)).map(rows -> {
                    List<Retirement> list = new ArrayList<>();
                    rows.forEach(row -> list.add(new Retirement(row.getLong("id"), row.getString("number"),
                            PhoneNumbers.display(row.getString("number")), row.getInteger("service_id"),
                            row.getString("slug"), row.getString("reason"), row.getUUID("purchase_id"),
                            row.getInteger("consecutive_failures"), row.getInteger("reports"),
                            row.getInteger("expiries"), row.getInteger("rental_reports"),
                            NumberRepository.instant(row, "retired_at"),
                            NumberRepository.instant(row, "undone_at"))));
                    return list;
                });
    }
}
