package com.fetchsms.verification.repository;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Singleton;

import com.fetchsms.common.purchase.PurchaseProduct;
import com.fetchsms.common.purchase.PurchaseRow;
import com.fetchsms.common.purchase.PurchaseTable;
import com.fetchsms.verification.domain.Verification;
import com.fetchsms.verification.domain.VerificationCode;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code verification} table: the statements every purchase table has ({@link PurchaseTable}), the release of
 * codes ({@link #receiveAll}) and the request for another code ({@link #requestAnotherCode}).
 */
@Singleton // not a normal scope: the generic superclass has no no-args constructor for a client proxy
public class VerificationRepository extends PurchaseTable<Verification> {

    public VerificationRepository(PurchaseProduct<Verification> product) {
        super(product, VerificationRepository::verification);
    }

    private static Verification verification(Row row) {
        List<VerificationCode> codes = new ArrayList<>();
        JsonArray stored = row.getJsonArray("codes");
        if (stored != null) {
            for (int i = 0; i < stored.size(); i++) {
                JsonObject one = stored.getJsonObject(i);
                String at = one.getString("received_at");
                codes.add(new VerificationCode(one.getString("code"), one.getString("sender"),
                        at == null ? null : OffsetDateTime.parse(at).toInstant()));
            }
        }
        return new Verification(PurchaseRow.of(row), row.getString("code"), row.getString("sender"),
                PurchaseRow.instant(row, "received_at"), codes, PurchaseRow.instant(row, "another_code_requested_at"));
    }

    /**
     * Asks for another code for the account's verification: only one whose code arrived ({@code received}), whose
     * window is open and that is not already waiting for another; the request time is the database's.
     */
    public Uni<Optional<Verification>> requestAnotherCode(SqlClient db, UUID id, UUID accountId) {
        return db.preparedQuery("""
                UPDATE verification SET another_code_requested_at = now()
                WHERE id = $1 AND account_id = $2 AND status = 'received' AND expires_at > now()
                  AND another_code_requested_at IS NULL
                RETURNING *""").execute(Tuple.of(id, accountId)).map(this::first);
    }

    /** An SMS that may release a code: the id of the event that brought it, its number, service, code and times. */
    public record Arrival(String eventId, String number, String service, String code, String sender,
            Instant receivedAt) {
    }

    /**
     * Releases codes, for several SMS with one statement: each waiting verification takes the first SMS of the list
     * that is for its number and its service and that the carrier received within its window,
     * {@code [created_at − clockSkew, expires_at)} (so an SMS meant for an earlier buyer of the number never reaches
     * the next one); each verification waiting for another code ({@code received} with
     * {@code another_code_requested_at}) takes the first such SMS received after its request and before
     * {@code expires_at}, which becomes its code and clears the request. Every released code is appended to
     * {@code codes}. Answers the released verifications by the id of the event whose SMS each took.
     */
    public Uni<Map<String, Verification>> receiveAll(SqlClient db, List<Arrival> arrivals, Duration clockSkew) {
        if (arrivals.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        int n = arrivals.size();
        String[] events = new String[n];
        String[] numbers = new String[n];
        String[] services = new String[n];
        String[] codes = new String[n];
        String[] senders = new String[n];
        OffsetDateTime[] received = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Arrival a = arrivals.get(i);
            events[i] = a.eventId();
            numbers[i] = a.number();
            services[i] = a.service();
            codes[i] = a.code();
            senders[i] = a.sender();
            received[i] = a.receivedAt().atOffset(ZoneOffset.UTC);
        }
        // at most one verification waits per number and service, for its first code or another one (catalog never
        // reserves a pair twice), and it takes the earliest SMS of the batch that qualifies; the two kinds of waiting
        // are two arms, so that each looks its rows up by number and service in its own partial index
        return db.preparedQuery("""
                WITH sms AS (
                    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
                        WITH ORDINALITY AS s (event_id, number, service, code, sender, received_at, position)),
                taken AS (
                    SELECT DISTINCT ON (c.id) c.id, c.event_id, c.code, c.sender, c.received_at
                    FROM (SELECT v.id, s.event_id, s.code, s.sender, s.received_at, s.position
                          FROM sms s JOIN verification v
                            ON v.number = s.number AND v.service = s.service AND v.status = 'waiting'
                           AND v.expires_at > s.received_at
                           AND v.created_at - make_interval(secs => $7) <= s.received_at
                          UNION ALL
                          SELECT v.id, s.event_id, s.code, s.sender, s.received_at, s.position
                          FROM sms s JOIN verification v
                            ON v.number = s.number AND v.service = s.service
                           AND v.another_code_requested_at IS NOT NULL AND v.expires_at > s.received_at
                           AND v.another_code_requested_at < s.received_at) c
                    ORDER BY c.id, c.position)
                UPDATE verification v SET status = 'received', code = t.code, sender = t.sender,
                                          received_at = t.received_at, ended_at = coalesce(v.ended_at, now()),
                                          another_code_requested_at = NULL,
                                          codes = v.codes || jsonb_build_array(jsonb_build_object(
                                              'code', t.code, 'sender', t.sender, 'received_at', t.received_at))
                FROM taken t
                WHERE v.id = t.id AND (v.status = 'waiting' OR v.another_code_requested_at < t.received_at)
                RETURNING v.*, t.event_id AS taken_by""")
                .execute(Tuple.of(events, numbers, services, codes, senders).addArrayOfOffsetDateTime(received)
                        .addDouble(seconds(clockSkew)))
                .map(rows -> {
                    Map<String, Verification> released = new HashMap<>();
                    for (Row row : rows) {
                        released.put(row.getString("taken_by"), read(row));
                    }
                    return released;
                });
    }
}
