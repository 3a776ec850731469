package com.fetchsms.rental.repository;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.rental.domain.Rental;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code rental} table. Every state change is a conditional UPDATE on the current status (or runs on a row
 * locked with {@code FOR UPDATE}), so concurrent actors (the buyer cancelling, an SMS arriving, the expiry job,
 * several replicas) can never both win.
 */
@ApplicationScoped
public class RentalRepository {

    public Uni<Rental> insertPending(SqlClient db, UUID id, String ref, UUID accountId, String serviceRef, int days,
            String areaCode, String idempotencyKey, String requestHash) {
        return db.preparedQuery("""
                INSERT INTO rental (id, ref, account_id, service_ref, days, area_code, status, idempotency_key,
                                    request_hash, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, now()) RETURNING *""")
                .execute(Tuple.tuple().addUUID(id).addString(ref).addUUID(accountId).addString(serviceRef)
                        .addInteger(days).addString(areaCode).addString(idempotencyKey).addString(requestHash))
                .map(rows -> toRental(rows.iterator().next()));
    }

    public Uni<Optional<Rental>> find(SqlClient db, UUID id) {
        return db.preparedQuery("SELECT * FROM rental WHERE id = $1").execute(Tuple.of(id))
                .map(RentalRepository::first);
    }

    public Uni<Optional<Rental>> findByKey(SqlClient db, UUID accountId, String idempotencyKey) {
        return db.preparedQuery("SELECT * FROM rental WHERE account_id = $1 AND idempotency_key = $2")
                .execute(Tuple.of(accountId, idempotencyKey)).map(RentalRepository::first);
    }

    /** The saga finished: the number is held and paid for; the term runs from the creation. */
    public Uni<Optional<Rental>> markWaiting(SqlClient db, UUID id, int serviceId, String service,
            String serviceName, String number, int costCents, Duration term) {
        return db.preparedQuery("""
                UPDATE rental SET status = 'waiting', service_id = $2, service = $3, service_name = $4, number = $5,
                       cost_cents = $6, expires_at = created_at + make_interval(secs => $7),
                       failure_status = NULL, failure_detail = NULL
                WHERE id = $1 AND status = 'pending' RETURNING *""")
                .execute(Tuple.tuple().addUUID(id).addInteger(serviceId).addString(service).addString(serviceName)
                        .addString(number).addInteger(costCents).addDouble((double) term.toSeconds()))
                .map(RentalRepository::first);
    }

    /** Records why the saga stopped; the row stays pending until the compensation is done. */
    public Uni<Void> noteFailure(SqlClient db, UUID id, int status, String detail) {
        return db.preparedQuery("""
                UPDATE rental SET failure_status = $2, failure_detail = $3
                WHERE id = $1 AND status = 'pending'""").execute(Tuple.of(id, status, detail)).replaceWithVoid();
    }

    public Uni<Optional<Rental>> markFailed(SqlClient db, UUID id, int status, String detail) {
        return db.preparedQuery("""
                UPDATE rental SET status = 'failed', failure_status = $2, failure_detail = $3, ended_at = now()
                WHERE id = $1 AND status = 'pending' RETURNING *""").execute(Tuple.of(id, status, detail))
                .map(RentalRepository::first);
    }

    /** Cancels a rental that has no code yet and whose term has not ended. */
    public Uni<Optional<Rental>> cancel(SqlClient db, UUID id, UUID accountId) {
        return db.preparedQuery("""
                UPDATE rental SET status = 'cancelled', ended_at = now()
                WHERE id = $1 AND account_id = $2 AND status = 'waiting' AND expires_at > now() RETURNING *""")
                .execute(Tuple.of(id, accountId)).map(RentalRepository::first);
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
                .execute(Tuple.of(number, receivedAt.atOffset(ZoneOffset.UTC), clockSkew.toMillis() / 1000.0))
                .map(RentalRepository::first);
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
                .map(rows -> toRental(rows.iterator().next()));
    }

    /**
     * Ends up to {@code limit} terms that ended more than {@code grace} ago, both by the clock and by
     * {@code arrivedUntil}, the time before which every accepted SMS has been applied (null: none may end).
     */
    public Uni<List<Rental>> expireDue(SqlClient db, Duration grace, Instant arrivedUntil, int limit) {
        return db.preparedQuery("""
                UPDATE rental SET status = 'expired', ended_at = now()
                WHERE id IN (SELECT id FROM rental
                             WHERE status IN ('waiting', 'active')
                               AND expires_at <= now() - make_interval(secs => $1)
                               AND expires_at <= $3::timestamptz - make_interval(secs => $1)
                             ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
                  AND status IN ('waiting', 'active') RETURNING *""")
                .execute(Tuple.of(grace.toMillis() / 1000.0, limit,
                        arrivedUntil == null ? null : arrivedUntil.atOffset(ZoneOffset.UTC)))
                .map(RentalRepository::all);
    }

    /** Leases stale pending purchases to this replica's recovery job for a minute. */
    public Uni<List<Rental>> leaseStalePending(SqlClient db, Duration olderThan, int limit) {
        return db.preparedQuery("""
                UPDATE rental SET recovery_lease = now() + interval '60 seconds',
                                  recovery_attempts = recovery_attempts + 1
                WHERE id IN (SELECT id FROM rental
                             WHERE status = 'pending' AND created_at <= now() - make_interval(secs => $1)
                               AND (recovery_lease IS NULL OR recovery_lease < now())
                             ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
                RETURNING *""")
                .execute(Tuple.of(olderThan.toMillis() / 1000.0, limit)).map(RentalRepository::all);
    }

    /** A page of an account's rentals, newest first. */
    public Uni<List<Rental>> list(SqlClient db, UUID accountId, List<String> statuses, UUID before, int limit) {
        return db.preparedQuery("""
                SELECT * FROM rental r
                WHERE r.account_id = $1 AND r.status = ANY($2)
                  AND ($3::uuid IS NULL OR (r.created_at, r.id) < (SELECT created_at, id FROM rental
                                                                    WHERE id = $3 AND account_id = $1))
                ORDER BY r.created_at DESC, r.id DESC LIMIT $4""")
                .execute(Tuple.of(accountId, statuses.toArray(String[]::new), before, limit))
                .map(RentalRepository::all);
    }

    private static Optional<Rental> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(toRental(rows.iterator().next()));
    }

    private static List<Rental> all(RowSet<Row> rows) {
        List<Rental> list = new ArrayList<>();
        rows.forEach(row -> list.add(toRental(row)));
        return list;
    }

    private static Rental toRental(Row row) {
        String[] used = row.getArrayOfStrings("services_used");
        return new Rental(row.getUUID("id"), row.getString("ref"), row.getUUID("account_id"),
                row.getString("service_ref"), row.getInteger("days"), row.getString("area_code"),
                row.getInteger("service_id"), row.getString("service"), row.getString("service_name"),
                row.getString("number"), row.getInteger("cost_cents"), row.getString("status"),
                row.getInteger("failure_status"), row.getString("failure_detail"), row.getString("last_code"),
                instant(row, "last_code_at"), used == null ? List.of() : Arrays.asList(used),
                row.getString("idempotency_key"), row.getString("request_hash"), instant(row, "created_at"),
                instant(row, "expires_at"));
    }

    private static Instant instant(Row row, String column) {
        var value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
