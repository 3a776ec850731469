package com.fetchsms.verification.repository;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.verification.domain.Verification;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code verification} table. Every state change is a conditional UPDATE on the current status, so concurrent
 * actors (the buyer cancelling, an SMS arriving, the expiry job, several replicas) can never both win.
 */
@ApplicationScoped
public class VerificationRepository {

    public Uni<Verification> insertPending(SqlClient db, UUID id, String ref, UUID accountId, String serviceRef,
            String areaCode, String idempotencyKey, String requestHash) {
        return db.preparedQuery("""
                INSERT INTO verification (id, ref, account_id, service_ref, area_code, status, idempotency_key,
                                          request_hash, created_at)
                VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, date_trunc('second', now())) RETURNING *""")
                .execute(Tuple.tuple().addUUID(id).addString(ref).addUUID(accountId).addString(serviceRef)
                        .addString(areaCode).addString(idempotencyKey).addString(requestHash))
                .map(rows -> toVerification(rows.iterator().next()));
    }

    public Uni<Optional<Verification>> find(SqlClient db, UUID id) {
        return db.preparedQuery("SELECT * FROM verification WHERE id = $1").execute(Tuple.of(id))
                .map(VerificationRepository::first);
    }

    public Uni<Optional<Verification>> findByKey(SqlClient db, UUID accountId, String idempotencyKey) {
        return db.preparedQuery("SELECT * FROM verification WHERE account_id = $1 AND idempotency_key = $2")
                .execute(Tuple.of(accountId, idempotencyKey)).map(VerificationRepository::first);
    }

    /** The saga finished: the number is held and paid for. */
    public Uni<Optional<Verification>> markWaiting(SqlClient db, UUID id, int serviceId, String service,
            String serviceName, String number, int costCents, Duration window) {
        return db.preparedQuery("""
                UPDATE verification SET status = 'waiting', service_id = $2, service = $3, service_name = $4,
                       number = $5, cost_cents = $6, expires_at = created_at + make_interval(secs => $7),
                       failure_status = NULL, failure_detail = NULL
                WHERE id = $1 AND status = 'pending' RETURNING *""")
                .execute(Tuple.tuple().addUUID(id).addInteger(serviceId).addString(service).addString(serviceName)
                        .addString(number).addInteger(costCents).addDouble((double) window.toSeconds()))
                .map(VerificationRepository::first);
    }

    /** Records why the saga stopped; the row stays pending until the compensation is done. */
    public Uni<Void> noteFailure(SqlClient db, UUID id, int status, String detail) {
        return db.preparedQuery("""
                UPDATE verification SET failure_status = $2, failure_detail = $3
                WHERE id = $1 AND status = 'pending'""").execute(Tuple.of(id, status, detail)).replaceWithVoid();
    }

    public Uni<Optional<Verification>> markFailed(SqlClient db, UUID id, int status, String detail) {
        return db.preparedQuery("""
                UPDATE verification SET status = 'failed', failure_status = $2, failure_detail = $3, ended_at = now()
                WHERE id = $1 AND status = 'pending' RETURNING *""").execute(Tuple.of(id, status, detail))
                .map(VerificationRepository::first);
    }

    public Uni<Optional<Verification>> cancel(SqlClient db, UUID id, UUID accountId) {
        return db.preparedQuery("""
                UPDATE verification SET status = 'cancelled', ended_at = now()
                WHERE id = $1 AND account_id = $2 AND status = 'waiting' RETURNING *""")
                .execute(Tuple.of(id, accountId)).map(VerificationRepository::first);
    }

    /**
     * Releases a code to the waiting verification of {@code number} for {@code service}, if the carrier received it
     * before the window closed.
     */
    public Uni<Optional<Verification>> receive(SqlClient db, String number, String service, String code,
            String sender, Instant receivedAt, Duration clockSkew) {
        // received within [created_at − skew, expires_at): an SMS meant for an earlier buyer of the number is never
        // released to the next one
        return db.preparedQuery("""
                UPDATE verification SET status = 'received', code = $3, sender = $4, received_at = $5, ended_at = now()
                WHERE id = (SELECT id FROM verification
                            WHERE number = $1 AND service = $2 AND status = 'waiting' AND expires_at > $5
                              AND created_at - make_interval(secs => $6) <= $5
                            ORDER BY created_at LIMIT 1 FOR UPDATE)
                  AND status = 'waiting' RETURNING *""")
                .execute(Tuple.tuple().addString(number).addString(service).addString(code).addString(sender)
                        .addOffsetDateTime(receivedAt.atOffset(java.time.ZoneOffset.UTC))
                        .addDouble((double) clockSkew.toSeconds()))
                .map(VerificationRepository::first);
    }

    /**
     * Expires up to {@code limit} verifications whose window closed more than {@code grace} ago, both by the clock and
     * by {@code arrivedUntil}, the time before which every accepted SMS has been applied (null: none may expire).
     */
    public Uni<List<Verification>> expireDue(SqlClient db, Duration grace, Instant arrivedUntil, int limit) {
        return db.preparedQuery("""
                UPDATE verification SET status = 'expired', ended_at = now()
                WHERE id IN (SELECT id FROM verification
                             WHERE status = 'waiting' AND expires_at <= now() - make_interval(secs => $1)
                               AND expires_at <= $3::timestamptz - make_interval(secs => $1)
                             ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
                  AND status = 'waiting' RETURNING *""")
                .execute(Tuple.of(grace.toMillis() / 1000.0, limit,
                        arrivedUntil == null ? null : arrivedUntil.atOffset(java.time.ZoneOffset.UTC)))
                .map(VerificationRepository::all);
    }

    /** Leases stale pending purchases to this replica's recovery job for a minute. */
    public Uni<List<Verification>> leaseStalePending(SqlClient db, Duration olderThan, int limit) {
        return db.preparedQuery("""
                UPDATE verification SET recovery_lease = now() + interval '60 seconds',
                                        recovery_attempts = recovery_attempts + 1
                WHERE id IN (SELECT id FROM verification
                             WHERE status = 'pending' AND created_at <= now() - make_interval(secs => $1)
                               AND (recovery_lease IS NULL OR recovery_lease < now())
                             ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
                RETURNING *""")
                .execute(Tuple.of((double) olderThan.toSeconds(), limit)).map(VerificationRepository::all);
    }

    /** A page of an account's verifications, newest first. */
    public Uni<List<Verification>> list(SqlClient db, UUID accountId, List<String> statuses, UUID before, int limit) {
        return db.preparedQuery("""
                SELECT * FROM verification v
                WHERE v.account_id = $1 AND v.status = ANY($2)
                  AND ($3::uuid IS NULL OR (v.created_at, v.id) < (SELECT created_at, id FROM verification
                                                                    WHERE id = $3 AND account_id = $1))
                ORDER BY v.created_at DESC, v.id DESC LIMIT $4""")
                .execute(Tuple.of(accountId, statuses.toArray(String[]::new), before, limit))
                .map(VerificationRepository::all);
    }

    private static Optional<Verification> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(toVerification(rows.iterator().next()));
    }

    private static List<Verification> all(RowSet<Row> rows) {
        List<Verification> list = new ArrayList<>();
        rows.forEach(row -> list.add(toVerification(row)));
        return list;
    }

    private static Verification toVerification(Row row) {
        return new Verification(row.getUUID("id"), row.getString("ref"), row.getUUID("account_id"),
                row.getString("service_ref"), row.getString("area_code"), row.getInteger("service_id"),
                row.getString("service"), row.getString("service_name"), row.getString("number"),
                row.getInteger("cost_cents"), row.getString("status"), row.getInteger("failure_status"),
                row.getString("failure_detail"), row.getString("code"), row.getString("sender"),
                instant(row, "received_at"), row.getString("idempotency_key"), row.getString("request_hash"),
                instant(row, "created_at"), instant(row, "expires_at"));
    }

    private static Instant instant(Row row, String column) {
        var value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
