package com.fetchsms.verification.repository;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import com.fetchsms.common.purchase.PurchaseProduct;
import com.fetchsms.common.purchase.PurchaseRow;
import com.fetchsms.common.purchase.PurchaseTable;
import com.fetchsms.verification.domain.Verification;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code verification} table: the statements every purchase table has ({@link PurchaseTable}), and the release of
 * codes ({@link #receiveAll}).
 */
@Singleton // not a normal scope: the generic superclass has no no-args constructor for a client proxy
public class VerificationRepository extends PurchaseTable<Verification> {

    public VerificationRepository(PurchaseProduct<Verification> product) {
        super(product, row -> new Verification(PurchaseRow.of(row), row.getString("code"), row.getString("sender"),
                PurchaseRow.instant(row, "received_at")));
    }

    /** An SMS that may release a code: the id of the event that brought it, its number, service, code and times. */
    public record Arrival(String eventId, String number, String service, String code, String sender,
            Instant receivedAt) {
    }

    /**
     * Releases codes to waiting verifications, for several SMS with one statement: each waiting verification takes the
     * first SMS of the list that is for its number and its service and that the carrier received within its window,
     * {@code [created_at − clockSkew, expires_at)} (so an SMS meant for an earlier buyer of the number never reaches
     * the next one); answers the released verifications by the id of the event whose SMS each took.
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
        // at most one verification waits per number and service
        // (catalog never reserves a pair twice), and it takes the earliest SMS of the batch that qualifies
        return db.preparedQuery("""
                WITH sms AS (
                    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
                        WITH ORDINALITY AS s (event_id, number, service, code, sender, received_at, position)),
                taken AS (
                    SELECT DISTINCT ON (v.id) v.id, s.event_id, s.code, s.sender, s.received_at
                    FROM sms s JOIN verification v
                      ON v.number = s.number AND v.service = s.service AND v.status = 'waiting'
                     AND v.expires_at > s.received_at AND v.created_at - make_interval(secs => $7) <= s.received_at
                    ORDER BY v.id, s.position)
                UPDATE verification v SET status = 'received', code = t.code, sender = t.sender,
                                          received_at = t.received_at, ended_at = now()
                FROM taken t WHERE v.id = t.id AND v.status = 'waiting'
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
