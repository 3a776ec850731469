package com.fetchsms.rental.repository;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.common.purchase.PurchaseRow;
import com.fetchsms.rental.domain.Sms;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The {@code rental_message} table: every SMS of a rental's term. */
@ApplicationScoped
public class MessageRepository {

    /** Stores a message; false when this message (by sms-ingest's id) was already stored. */
    public Uni<Boolean> insert(SqlClient db, Sms sms) {
        return db.preparedQuery("""
                INSERT INTO rental_message (id, rental_id, sender, body, code, detected_service, received_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING""")
                .execute(Tuple.tuple().addUUID(sms.id()).addUUID(sms.rentalId()).addString(sms.sender())
                        .addString(sms.body()).addString(sms.code()).addString(sms.detectedService())
                        .addOffsetDateTime(sms.receivedAt().atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** A page of a rental's messages, newest first (by when the carrier received them). */
    public Uni<List<Sms>> list(SqlClient db, UUID rentalId, UUID before, int limit) {
        return db.preparedQuery("""
                SELECT * FROM rental_message m
                WHERE m.rental_id = $1
                  AND ($2::uuid IS NULL OR (m.received_at, m.seq) < (SELECT received_at, seq FROM rental_message
                                                                     WHERE id = $2 AND rental_id = $1))
                ORDER BY m.received_at DESC, m.seq DESC LIMIT $3""")
                .execute(Tuple.of(rentalId, before, limit)).map(rows -> {
                    List<Sms> list = new ArrayList<>();
                    rows.forEach(row -> list.add(toSms(row)));
                    return list;
                });
    }

    private static Sms toSms(Row row) {
        return new Sms(row.getUUID("id"), row.getUUID("rental_id"), row.getString("sender"), row.getString("body"),
                row.getString("code"), row.getString("detected_service"), PurchaseRow.instant(row, "received_at"));
    }
}
