package com.fetchsms.common.purchase;

import com.fetchsms.common.contract.Reservation;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The statements every purchase table shares (the {@code verification} and {@code rental} tables have the columns of
 * {@link PurchaseRow}); each product's repository extends it with its row mapping and its own statements. Every state
 * change is a conditional UPDATE on the current status, so concurrent actors (the buyer cancelling, an SMS arriving,
 * the expiry job, several replicas) can never both win.
 *
 * <p>
 * Durations reach SQL as seconds with their milliseconds ({@link #seconds}); {@code created_at} is the database's
 * {@code now()} at full precision (the API shows whole seconds), so a list is newest first even within one second.
 */
public class PurchaseTable<P extends Purchase> {

    private final String table;
    private final Function<Row, P> map;
    private final String find;
    private final String findByKey;
    private final String markWaiting;
    private final String noteFailure;
    private final String markFailed;
    private final String cancel;
    private final String report;
    private final String expireDue;
    private final String leaseStalePending;
    private final String list;

    /** {@code map} reads a row of the product's table: {@link PurchaseRow#of} and the product's own columns. */
    protected PurchaseTable(PurchaseProduct<P> product, Function<Row, P> map) {
        this.table = product.name();
        this.map = map;
        String running = product.activeStatuses().stream().map(status -> "'" + status + "'")
                .collect(Collectors.joining(", ", "(", ")"));
        this.find = "SELECT * FROM " + table + " WHERE id = $1";
        this.findByKey = "SELECT * FROM " + table + " WHERE account_id = $1 AND idempotency_key = $2";
        this.markWaiting = """
                UPDATE %s SET status = 'waiting', service_id = $2, service = $3, service_name = $4, number = $5,
                       cost_cents = $6, expires_at = created_at + make_interval(secs => $7),
                       failure_status = NULL, failure_detail = NULL, failure_price_cents = NULL
                WHERE id = $1 AND status = 'pending' RETURNING *""".formatted(table);
        this.noteFailure = """
                UPDATE %s SET failure_status = $2, failure_detail = $3, failure_price_cents = $4
                WHERE id = $1 AND status = 'pending'""".formatted(table);
        this.markFailed = """
                UPDATE %s SET status = 'failed', failure_status = $2, failure_detail = $3, failure_price_cents = $4,
                       ended_at = now()
                WHERE id = $1 AND status = 'pending' RETURNING *""".formatted(table);
        this.cancel = """
                UPDATE %s SET status = 'cancelled', cancel_reason = 'customer', ended_at = now()
                WHERE id = $1 AND account_id = $2 AND status = 'waiting'%s RETURNING *"""
                .formatted(table, product.cancelEndsWithTerm() ? " AND expires_at > now()" : "");
        this.report = """
                UPDATE %s SET status = 'cancelled', cancel_reason = 'reported', report_reason = $3, ended_at = now()
                WHERE id = $1 AND account_id = $2 AND status = 'waiting' AND expires_at > now()
                  AND created_at + make_interval(secs => $4) > now() RETURNING *""".formatted(table);
        this.expireDue = """
                UPDATE %1$s SET status = 'expired', ended_at = now()
                WHERE id IN (SELECT id FROM %1$s
                             WHERE status IN %2$s
                               AND expires_at <= now() - make_interval(secs => $1)
                               AND expires_at <= $3::timestamptz - make_interval(secs => $1)
                             ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
                  AND status IN %2$s RETURNING *""".formatted(table, running);
        this.leaseStalePending = """
                UPDATE %1$s SET recovery_lease = now() + interval '60 seconds',
                                recovery_attempts = recovery_attempts + 1
                WHERE id IN (SELECT id FROM %1$s
                             WHERE status = 'pending' AND created_at <= now() - make_interval(secs => $1)
                               AND (recovery_lease IS NULL OR recovery_lease < now())
                             ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
                RETURNING *""".formatted(table);
        this.list = """
                SELECT * FROM %1$s p
                WHERE p.account_id = $1 AND p.status = ANY($2)
                  AND ($3::uuid IS NULL OR (p.created_at, p.id) < (SELECT created_at, id FROM %1$s
                                                                    WHERE id = $3 AND account_id = $1))
                ORDER BY p.created_at DESC, p.id DESC LIMIT $4""".formatted(table);
    }

    /**
     * The saga's first step: a {@code pending} row (a rental's with its {@code days}), with the buyer's price cap and
     * whether it is a sandbox purchase (a test key's), so that recovery holds the purchase to both as well.
     */
    public Uni<P> insertPending(SqlClient db, UUID id, String ref, UUID accountId, boolean sandbox,
            PurchaseRequest request, String idempotencyKey, String requestHash) {
        boolean term = request.days() != null;
        Tuple values = Tuple.tuple().addUUID(id).addString(ref).addUUID(accountId).addString(request.serviceRef())
                .addString(request.areaCode()).addString(idempotencyKey).addString(requestHash)
                .addInteger(request.maxPriceCents()).addBoolean(sandbox);
        if (term) {
            values.addInteger(request.days());
        }
        return db.preparedQuery("INSERT INTO " + table + " (id, ref, account_id, service_ref, area_code, status, "
                + "idempotency_key, request_hash, max_price_cents, sandbox, created_at" + (term ? ", days" : "")
                + ") VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9, now()" + (term ? ", $10" : "")
                + ") RETURNING *").execute(values).map(rows -> read(rows.iterator().next()));
    }

    public Uni<Optional<P>> find(SqlClient db, UUID id) {
        return db.preparedQuery(find).execute(Tuple.of(id)).map(this::first);
    }

    public Uni<Optional<P>> findByKey(SqlClient db, UUID accountId, String idempotencyKey) {
        return db.preparedQuery(findByKey).execute(Tuple.of(accountId, idempotencyKey)).map(this::first);
    }

    /** The saga finished: the reservation's number is held and paid for; the term runs from the creation. */
    public Uni<Optional<P>> markWaiting(SqlClient db, UUID id, Reservation held, int costCents, Duration term) {
        return db.preparedQuery(markWaiting)
                .execute(Tuple.tuple().addUUID(id).addInteger(held.serviceId())
                        .addString(held.service()).addString(held.serviceName())
                        .addString(held.number()).addInteger(costCents).addDouble(seconds(term)))
                .map(this::first);
    }

    /**
     * Records why the saga stopped (with the current price when it was refused for the buyer's cap, else null); the
     * row stays pending until the compensation is done.
     */
    public Uni<Void> noteFailure(SqlClient db, UUID id, int status, String detail, Integer priceCents) {
        return db.preparedQuery(noteFailure).execute(Tuple.of(id, status, detail, priceCents)).replaceWithVoid();
    }

    /** {@code pending} → {@code failed}, with the refusal a replay answers again. */
    public Uni<Optional<P>> markFailed(SqlClient db, UUID id, int status, String detail, Integer priceCents) {
        return db.preparedQuery(markFailed).execute(Tuple.of(id, status, detail, priceCents)).map(this::first);
    }

    /** Cancels the account's purchase while it is waiting (a rental: and its term has not ended). */
    public Uni<Optional<P>> cancel(SqlClient db, UUID id, UUID accountId) {
        return db.preparedQuery(cancel).execute(Tuple.of(id, accountId)).map(this::first);
    }

    /**
     * Cancels the account's purchase as reported ({@code cancel_reason = 'reported'}, with the buyer's {@code reason},
     * may be null) while it is waiting, its term has not ended and it is younger than {@code window}.
     */
    public Uni<Optional<P>> report(SqlClient db, UUID id, UUID accountId, String reason, Duration window) {
        return db.preparedQuery(report)
                .execute(Tuple.tuple().addUUID(id).addUUID(accountId).addString(reason).addDouble(seconds(window)))
                .map(this::first);
    }

    /**
     * Ends up to {@code limit} running purchases whose term ended more than {@code grace} ago, both by the clock and by
     * {@code arrivedUntil}, the time before which every accepted SMS has been applied (null: none may end).
     */
    public Uni<List<P>> expireDue(SqlClient db, Duration grace, Instant arrivedUntil, int limit) {
        return db.preparedQuery(expireDue)
                .execute(Tuple.of(seconds(grace), limit,
                        arrivedUntil == null ? null : arrivedUntil.atOffset(ZoneOffset.UTC)))
                .map(this::all);
    }

    /** Leases pending purchases older than {@code olderThan} to this replica's recovery for a minute. */
    public Uni<List<P>> leaseStalePending(SqlClient db, Duration olderThan, int limit) {
        return db.preparedQuery(leaseStalePending).execute(Tuple.of(seconds(olderThan), limit)).map(this::all);
    }

    /** A page of an account's purchases in {@code statuses}, newest first, after the purchase {@code before}. */
    public Uni<List<P>> list(SqlClient db, UUID accountId, List<String> statuses, UUID before, int limit) {
        return db.preparedQuery(list)
                .execute(Tuple.of(accountId, statuses.toArray(String[]::new), before, limit))
                .map(this::all);
    }

    /** The purchase a row of the table holds. */
    protected P read(Row row) {
        return map.apply(row);
    }

    protected Optional<P> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next()));
    }

    protected List<P> all(RowSet<Row> rows) {
        List<P> list = new ArrayList<>();
        rows.forEach(row -> list.add(read(row)));
        return list;
    }

    /** A duration as SQL's seconds ({@code make_interval(secs => …)}), to the millisecond. */
    public static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
