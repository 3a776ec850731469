package com.fetchsms.webhook.repository;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.webhook.domain.ClaimedDelivery;
import com.fetchsms.webhook.domain.AccountWebhook;
import com.fetchsms.webhook.domain.DeliveryView;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The durable delivery queue: one row per (event, endpoint), leased by a dispatcher while it is sent. */
@ApplicationScoped
public class DeliveryRepository {

    /** The advisory lock key of the dispatchers' claim (any constant unique in this database). */
    private static final long CLAIM_LOCK = 0x5745_4248_4f4f_4bL;

    /** A new pending delivery, due at once. */
    public Uni<Void> insert(SqlClient tx, UUID id, UUID endpointId, String event, String payload, Instant now) {
        return tx.preparedQuery("""
                INSERT INTO delivery (id, endpoint_id, event, payload, status, next_attempt_at, created_at)
                VALUES ($1, $2, $3, $4, 'pending', $5, $5)""")
                .execute(Tuple.of(id, endpointId, event, payload, now.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    /**
     * One pending delivery of each of {@code webhooks} to every active endpoint of its account subscribed to its event,
     * with one statement; the batch's order is kept in {@code created_at} (a microsecond apart from {@code now}).
     * Answers how many deliveries were queued.
     */
    public Uni<Integer> fanOut(SqlClient tx, List<AccountWebhook> webhooks, Instant now) {
        if (webhooks.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        UUID[] accounts = new UUID[webhooks.size()];
        String[] events = new String[webhooks.size()];
        String[] payloads = new String[webhooks.size()];
        for (int i = 0; i < accounts.length; i++) {
            accounts[i] = webhooks.get(i).accountId();
            events[i] = webhooks.get(i).event();
            payloads[i] = webhooks.get(i).payload();
        }
        return tx.preparedQuery("""
                INSERT INTO delivery (id, endpoint_id, event, payload, status, next_attempt_at, created_at)
                SELECT gen_random_uuid(), e.id, w.event, w.payload, 'pending',
                       $4::timestamptz + (w.ord - 1) * interval '1 microsecond',
                       $4::timestamptz + (w.ord - 1) * interval '1 microsecond'
                FROM unnest($1::uuid[], $2::text[], $3::text[]) WITH ORDINALITY AS w(account_id, event, payload, ord)
                JOIN endpoint e ON e.account_id = w.account_id AND e.status = 'active' AND w.event = ANY (e.events)""")
                .execute(Tuple.of(accounts, events, payloads, now.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount());
    }

    public Uni<List<DeliveryView>> list(SqlClient tx, UUID endpointId, int limit) {
        return tx.preparedQuery("""
                SELECT id, event, status, attempts, last_status_code, last_error, next_attempt_at, created_at
                FROM delivery WHERE endpoint_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2""")
                .execute(Tuple.of(endpointId, limit)).map(rows -> {
                    List<DeliveryView> result = new ArrayList<>();
                    for (Row row : rows) {
                        boolean pending = "pending".equals(row.getString("status"));
                        result.add(new DeliveryView(row.getUUID("id"), row.getString("event"), row.getString("status"),
                                row.getInteger("attempts"), row.getInteger("last_status_code"),
                                row.getString("last_error"),
                                pending ? instant(row, "next_attempt_at") : null, instant(row, "created_at")));
                    }
                    return result;
                });
    }

    /**
     * Leases up to {@code limit} due deliveries of active endpoints, at most {@code perEndpoint} in flight per
     * endpoint (counting the ones already leased, by any replica: claims take a transaction-scoped advisory lock, a
     * few milliseconds). Rows are locked {@code FOR UPDATE SKIP LOCKED} and re-checked, so two replicas never lease
     * one delivery at once; each lease gets its own token, and only its holder may write the outcome.
     */
    public Uni<List<ClaimedDelivery>> claim(SqlClient tx, int perEndpoint, int limit, Duration lease) {
        // claims are serialised (briefly, per transaction) so the per-endpoint count sees the other replicas' leases
        return tx.query("SELECT pg_advisory_xact_lock(" + CLAIM_LOCK + ")").execute()
                .chain(() -> claimLocked(tx, perEndpoint, limit, lease));
    }

    private Uni<List<ClaimedDelivery>> claimLocked(SqlClient tx, int perEndpoint, int limit, Duration lease) {
        return tx.preparedQuery("""
                WITH due AS (
                    SELECT d.id, d.endpoint_id,
                           row_number() OVER (PARTITION BY d.endpoint_id ORDER BY d.next_attempt_at, d.id) AS rn
                    FROM delivery d JOIN endpoint e ON e.id = d.endpoint_id
                    WHERE d.status = 'pending' AND d.next_attempt_at <= now()
                      AND (d.lease_until IS NULL OR d.lease_until < now()) AND e.status = 'active'
                ), busy AS (
                    SELECT endpoint_id, count(*) AS n FROM delivery
                    WHERE status = 'pending' AND lease_until >= now() GROUP BY endpoint_id
                ), picked AS (
                    SELECT d.id FROM delivery d
                    WHERE d.id IN (SELECT due.id FROM due LEFT JOIN busy ON busy.endpoint_id = due.endpoint_id
                                   WHERE due.rn + coalesce(busy.n, 0) <= $1)
                      AND d.status = 'pending' AND (d.lease_until IS NULL OR d.lease_until < now())
                    ORDER BY d.next_attempt_at
                    LIMIT $2
                    FOR UPDATE OF d SKIP LOCKED
                )
                UPDATE delivery d SET lease_until = now() + make_interval(secs => $3), lease_token = gen_random_uuid()
                FROM picked, endpoint e
                WHERE d.id = picked.id AND e.id = d.endpoint_id
                RETURNING d.id, d.endpoint_id, d.event, d.payload, d.attempts, d.created_at, e.url,
                          e.secret_ciphertext, d.lease_token,
                          CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret_ciphertext END
                              AS previous_secret_ciphertext""")
                .execute(Tuple.of(perEndpoint, limit, lease.toMillis() / 1000.0)).map(rows -> {
                    List<ClaimedDelivery> result = new ArrayList<>();
                    for (Row row : rows) {
                        result.add(new ClaimedDelivery(row.getUUID("id"), row.getUUID("endpoint_id"),
                                row.getString("event"), row.getString("payload"), row.getInteger("attempts"),
                                instant(row, "created_at"), row.getString("url"),
                                row.getBuffer("secret_ciphertext").getBytes(),
                                row.getBuffer("previous_secret_ciphertext") == null
                                        ? null
                                        : row.getBuffer("previous_secret_ciphertext").getBytes(),
                                row.getUUID("lease_token")));
                    }
                    return result;
                });
    }

    /** Records a 2xx; false when the lease was lost meanwhile (nothing written). */
    public Uni<Boolean> delivered(SqlClient tx, ClaimedDelivery d, int statusCode) {
        return tx.preparedQuery("""
                UPDATE delivery SET status = 'delivered', attempts = attempts + 1, last_status_code = $3,
                       last_error = NULL, next_attempt_at = NULL, delivered_at = now(), lease_until = NULL,
                       lease_token = NULL
                WHERE id = $1 AND lease_token = $2""")
                .execute(Tuple.of(d.id(), d.leaseToken(), statusCode)).map(rows -> rows.rowCount() == 1);
    }

    /** Records a failed attempt to be retried at {@code next}. */
    public Uni<Boolean> retryAt(SqlClient tx, ClaimedDelivery d, Integer statusCode, String error, Instant next) {
        return tx.preparedQuery("""
                UPDATE delivery SET attempts = attempts + 1, last_status_code = $3, last_error = $4,
                       next_attempt_at = $5, lease_until = NULL, lease_token = NULL
                WHERE id = $1 AND lease_token = $2""")
                .execute(Tuple.tuple().addUUID(d.id()).addUUID(d.leaseToken()).addInteger(statusCode)
                        .addString(error).addOffsetDateTime(next.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Records the last failed attempt: the delivery is {@code failed}. */
    public Uni<Boolean> failed(SqlClient tx, ClaimedDelivery d, Integer statusCode, String error) {
        return tx.preparedQuery("""
                UPDATE delivery SET status = 'failed', attempts = attempts + 1, last_status_code = $3,
                       last_error = $4, next_attempt_at = NULL, lease_until = NULL, lease_token = NULL
                WHERE id = $1 AND lease_token = $2""")
                .execute(Tuple.tuple().addUUID(d.id()).addUUID(d.leaseToken()).addInteger(statusCode)
                        .addString(error))
                .map(rows -> rows.rowCount() == 1);
    }

    /** What a manual retry found. */
    public enum RetryResult {
        /** The delivery is due now. */
        DUE,
        /** A dispatcher holds its lease (an attempt is in flight): nothing changed. */
        IN_FLIGHT,
        /** The account has no such delivery. */
        NOT_FOUND
    }

    /** A manual retry's result, with the delivery's endpoint when it was made due. */
    public record Retry(RetryResult result, UUID endpointId) {
    }

    /**
     * A customer's manual retry: the delivery (of one of the account's endpoints) is due again now, one more attempt
     * whatever its state, unless a dispatcher is sending it. The row is locked first ({@code FOR UPDATE}, waiting for
     * a claim in progress), so the lease it sees is the one that holds: a leased delivery is left alone, never handed
     * to a second dispatcher while its first attempt is in flight, and its attempt is counted once.
     */
    public Uni<Retry> retryNow(SqlClient tx, UUID accountId, UUID deliveryId) {
        return tx.preparedQuery("""
                SELECT d.endpoint_id, d.lease_until >= now() AS in_flight
                FROM delivery d JOIN endpoint e ON e.id = d.endpoint_id
                WHERE d.id = $1 AND e.account_id = $2
                FOR UPDATE OF d""")
                .execute(Tuple.of(deliveryId, accountId)).chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(new Retry(RetryResult.NOT_FOUND, null));
                    }
                    Row row = rows.iterator().next();
                    UUID endpointId = row.getUUID("endpoint_id");
                    if (Boolean.TRUE.equals(row.getBoolean("in_flight"))) {
                        return Uni.createFrom().item(new Retry(RetryResult.IN_FLIGHT, endpointId));
                    }
                    return tx.preparedQuery("""
                            UPDATE delivery SET status = 'pending', next_attempt_at = now(), lease_until = NULL,
                                   lease_token = NULL, delivered_at = NULL
                            WHERE id = $1 AND (lease_until IS NULL OR lease_until < now())""")
                            .execute(Tuple.of(deliveryId))
                            .map(updated -> new Retry(updated.rowCount() == 1 ? RetryResult.DUE : RetryResult.IN_FLIGHT,
                                    endpointId));
                });
    }

    private static Instant instant(Row row, String column) {
        var value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
