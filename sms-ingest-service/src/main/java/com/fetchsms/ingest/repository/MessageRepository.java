package com.fetchsms.ingest.repository;

import static com.fetchsms.ingest.repository.GatewayRepository.instant;
import static com.fetchsms.ingest.repository.GatewayRepository.utc;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.common.phone.PhoneNumbers;
import com.fetchsms.ingest.domain.GatewayMessage;
import com.fetchsms.ingest.domain.InboundSms;
import com.fetchsms.ingest.domain.IngestResult;
import com.fetchsms.ingest.domain.SmsCoding;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Raw reports, multipart parts, seen gateway ids and the de-duplicated messages. */
@ApplicationScoped
public class MessageRepository {

    /**
     * A gateway's raw reports with what their messages showed (never the text nor the code), newest first: a keyset
     * over migration V3's index {@code (gateway_id, ingested_at, id)}, spelled as one row comparison bounded below by
     * the gateway rather than {@code gateway_id = $1}. With the equality the planner may walk the index by time alone
     * and filter on the gateway, reading every newer report of every other gateway first (seconds, for a gateway that
     * went quiet: the one an operator looks at); this way only the gateway's part of V3's index is read, from the
     * cursor on. Followed by the cursor, the order and the limit.
     */
    private static final String REPORTS = """
            SELECT r.id, r.to_number, r.sender, r.received_at, r.outcome, m.detected_service,
                   m.code IS NOT NULL AS code_found
            FROM raw_message r LEFT JOIN inbound_message m ON m.id = r.message_id
            WHERE r.gateway_id >= $1 AND (r.gateway_id, r.ingested_at, r.id) <""";
    private static final String REPORTS_ORDER = " ORDER BY r.gateway_id DESC, r.ingested_at DESC, r.id DESC";

    /** A stored part of a concatenated SMS. */
    public record StoredPart(UUID id, int part, String text, byte[] payload, SmsCoding coding, Instant receivedAt) {
    }

    /** A de-duplicated message to store. */
    public record NewMessage(UUID id, UUID gatewayId, String number, String sender, String body, String contentHash,
            String detectedService, String code, int parts, Instant receivedAt, Instant createdAt) {
    }

    /**
     * Serialises the ingestion of these numbers' messages until the transaction ends (de-duplication and reassembly
     * read, then write: two copies of one SMS arriving together must not both pass). The transaction-scoped advisory
     * locks are taken in the order of their keys, so two transactions locking overlapping sets cannot deadlock.
     */
    public Uni<Void> lockNumbers(SqlClient tx, Collection<String> numbers) {
        return tx.preparedQuery("""
                SELECT count(pg_advisory_xact_lock(k)) FROM (
                    SELECT DISTINCT hashtextextended(n, 7041) AS k FROM unnest($1::text[]) AS n ORDER BY k) AS keys""")
                .execute(Tuple.of(numbers.toArray(String[]::new))).replaceWithVoid();
    }

    /** The messages (or parts) that these gateway message ids produced, by id; ids not seen are absent. */
    public Uni<Map<String, UUID>> findSeenAll(SqlClient tx, UUID gatewayId, Collection<String> gatewayMessageIds) {
        return tx.preparedQuery("""
                SELECT gateway_message_id, ref FROM seen_gateway_message
                WHERE gateway_id = $1 AND gateway_message_id = ANY($2)""")
                .execute(Tuple.of(gatewayId, gatewayMessageIds.toArray(String[]::new))).map(rows -> {
                    Map<String, UUID> seen = new HashMap<>();
                    rows.forEach(row -> seen.put(row.getString("gateway_message_id"), row.getUUID("ref")));
                    return seen;
                });
    }

    /** A stored message's content key and time, for de-duplication by content. */
    public record StoredContent(String number, String contentHash, UUID id, Instant receivedAt) {
    }

    /**
     * The stored messages with one of these contents ({@code numbers[i]}, {@code contentHashes[i]}) received between
     * {@code from} and {@code to}.
     */
    public Uni<List<StoredContent>> findContents(SqlClient tx, List<String> numbers, List<String> contentHashes,
            Instant from, Instant to) {
        return tx.preparedQuery("""
                SELECT m.number, m.content_hash, m.id, m.received_at FROM inbound_message m
                JOIN unnest($1::text[], $2::text[]) AS k(number, content_hash)
                  ON m.number = k.number AND m.content_hash = k.content_hash
                WHERE m.received_at BETWEEN $3 AND $4""")
                .execute(Tuple.of(numbers.toArray(String[]::new), contentHashes.toArray(String[]::new), utc(from),
                        utc(to)))
                .map(rows -> {
                    List<StoredContent> found = new ArrayList<>();
                    rows.forEach(row -> found.add(new StoredContent(row.getString("number"),
                            row.getString("content_hash"), row.getUUID("id"), instant(row, "received_at"))));
                    return found;
                });
    }

    /** Stores de-duplicated messages in one statement. */
    public Uni<Void> insertMessages(SqlClient tx, List<NewMessage> batch) {
        int n = batch.size();
        UUID[] ids = new UUID[n];
        UUID[] gateways = new UUID[n];
        String[] numbers = new String[n];
        String[] senders = new String[n];
        String[] bodies = new String[n];
        String[] hashes = new String[n];
        String[] services = new String[n];
        String[] codes = new String[n];
        Integer[] parts = new Integer[n];
        OffsetDateTime[] received = new OffsetDateTime[n];
        OffsetDateTime[] created = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            NewMessage m = batch.get(i);
            ids[i] = m.id();
            gateways[i] = m.gatewayId();
            numbers[i] = m.number();
            senders[i] = m.sender();
            bodies[i] = m.body();
            hashes[i] = m.contentHash();
            services[i] = m.detectedService();
            codes[i] = m.code();
            parts[i] = m.parts();
            received[i] = utc(m.receivedAt());
            created[i] = utc(m.createdAt());
        }
        return tx.preparedQuery("""
                INSERT INTO inbound_message (id, gateway_id, number, sender, body, content_hash, detected_service, code,
                                             parts, received_at, created_at)
                SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[],
                                     $7::text[], $8::text[], $9::int[], $10::timestamptz[], $11::timestamptz[])""")
                .execute(Tuple
                        .tuple(List.<Object>of(ids, gateways, numbers, senders, bodies, hashes, services, codes, parts,
                                received, created)))
                .replaceWithVoid();
    }

    /** One reported item as received, with what became of it ({@link #insertRaws}). */
    public record RawReport(UUID id, UUID gatewayId, InboundSms sms, Instant receivedAt, Instant ingestedAt,
            String outcome, UUID messageId) {
    }

    /** Keeps reported items as received, with what became of them, in one statement. */
    public Uni<Void> insertRaws(SqlClient tx, List<RawReport> batch) {
        int n = batch.size();
        UUID[] ids = new UUID[n];
        UUID[] gateways = new UUID[n];
        String[] adapters = new String[n];
        String[] gatewayIds = new String[n];
        String[] to = new String[n];
        String[] senders = new String[n];
        String[] texts = new String[n];
        String[] payloads = new String[n];
        String[] codings = new String[n];
        String[] udhs = new String[n];
        OffsetDateTime[] received = new OffsetDateTime[n];
        OffsetDateTime[] ingested = new OffsetDateTime[n];
        String[] outcomes = new String[n];
        UUID[] messageIds = new UUID[n];
        for (int i = 0; i < n; i++) {
            RawReport r = batch.get(i);
            InboundSms sms = r.sms();
            ids[i] = r.id();
            gateways[i] = r.gatewayId();
            adapters[i] = sms.adapter();
            gatewayIds[i] = sms.gatewayMessageId();
            to[i] = sms.to();
            senders[i] = sms.from();
            texts[i] = sms.text();
            payloads[i] = sms.payload() == null ? null : HexFormat.of().formatHex(sms.payload());
            codings[i] = sms.coding() == null ? null : sms.coding().name();
            udhs[i] = sms.udh();
            received[i] = utc(r.receivedAt());
            ingested[i] = utc(r.ingestedAt());
            outcomes[i] = r.outcome();
            messageIds[i] = r.messageId();
        }
        return tx.preparedQuery("""
                INSERT INTO raw_message (id, gateway_id, adapter, gateway_message_id, to_number, sender, text, payload,
                                         coding, udh, received_at, ingested_at, outcome, message_id)
                SELECT r.id, r.gateway_id, r.adapter, r.gateway_message_id, r.to_number, r.sender, r.text,
                       decode(r.payload, 'hex'), r.coding, r.udh, r.received_at, r.ingested_at, r.outcome, r.message_id
                FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::timestamptz[], $13::text[],
                            $14::uuid[])
                     AS r(id, gateway_id, adapter, gateway_message_id, to_number, sender, text, payload, coding, udh,
                          received_at, ingested_at, outcome, message_id)""")
                .execute(Tuple.tuple(List.<Object>of(ids, gateways, adapters, gatewayIds, to, senders, texts, payloads,
                        codings, udhs, received, ingested, outcomes, messageIds)))
                .replaceWithVoid();
    }

    /**
     * Records gateway message ids and what they produced, in one statement, in the order of the ids (two batches
     * that share ids wait for each other on the key, never in a cycle).
     */
    public Uni<Void> insertSeenAll(SqlClient tx, UUID gatewayId, List<String> gatewayMessageIds, List<UUID> refs,
            Instant now) {
        return tx.preparedQuery("""
                INSERT INTO seen_gateway_message (gateway_id, gateway_message_id, ref, seen_at)
                SELECT $1, s.id, s.ref, $4 FROM unnest($2::text[], $3::uuid[]) AS s(id, ref) ORDER BY s.id
                ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(gatewayId, gatewayMessageIds.toArray(String[]::new), refs.toArray(UUID[]::new),
                        utc(now)))
                .replaceWithVoid();
    }

    public Uni<Optional<UUID>> findSeen(SqlClient tx, UUID gatewayId, String gatewayMessageId) {
        return tx.preparedQuery("""
                SELECT ref FROM seen_gateway_message WHERE gateway_id = $1 AND gateway_message_id = $2""")
                .execute(Tuple.of(gatewayId, gatewayMessageId)).map(rows -> firstUuid(rows, "ref"));
    }

    public Uni<Void> insertSeen(SqlClient tx, UUID gatewayId, String gatewayMessageId, UUID ref, Instant now) {
        return tx.preparedQuery("""
                INSERT INTO seen_gateway_message (gateway_id, gateway_message_id, ref, seen_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(gatewayId, gatewayMessageId, ref, utc(now))).replaceWithVoid();
    }

    /** Stores a part; answers the part already stored under the same position, if any (then nothing is stored). */
    public Uni<Optional<StoredPart>> insertPart(SqlClient tx, UUID id, UUID gatewayId, InboundSms sms,
            Instant receivedAt,
            Instant now) {
        return tx.preparedQuery("""
                INSERT INTO message_part (id, gateway_id, number, sender, reference, total, part, text, payload, coding,
                                          received_at, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                ON CONFLICT (gateway_id, number, sender, reference, total, part) DO NOTHING""")
                .execute(Tuple.tuple().addUUID(id).addUUID(gatewayId).addString(sms.to()).addString(sms.from())
                        .addInteger(sms.concatenation().reference()).addInteger(sms.concatenation().total())
                        .addInteger(sms.concatenation().part()).addString(sms.text())
                        .addValue(bytes(sms.payload()))
                        .addString(sms.coding().name()).addOffsetDateTime(utc(receivedAt)).addOffsetDateTime(utc(now)))
                .chain(rows -> rows.rowCount() == 1
                        ? Uni.createFrom().item(Optional.<StoredPart>empty())
                        : tx.preparedQuery("""
                                SELECT id, part, text, payload, coding, received_at FROM message_part
                                WHERE gateway_id = $1 AND number = $2 AND sender = $3
                                AND reference = $4 AND total = $5 AND part = $6""")
                                .execute(Tuple.of(gatewayId, sms.to(), sms.from(), sms.concatenation().reference(),
                                        sms.concatenation().total(), sms.concatenation().part()))
                                .map(found -> found.size() == 0
                                        ? Optional.<StoredPart>empty()
                                        : Optional.of(part(found.iterator().next()))));
    }

    /** Replaces a stale part by a new one in its position; the stale part's report is kept as incomplete. */
    public Uni<Void> replacePart(SqlClient tx, UUID staleId, UUID id, UUID gatewayId, InboundSms sms,
            Instant receivedAt, Instant now) {
        return tx.preparedQuery("DELETE FROM message_part WHERE id = $1").execute(Tuple.of(staleId))
                .chain(() -> tx.preparedQuery("UPDATE raw_message SET outcome = 'incomplete' WHERE id = $1")
                        .execute(Tuple.of(staleId)))
                .chain(() -> insertPart(tx, id, gatewayId, sms, receivedAt, now)).replaceWithVoid();
    }

    private static StoredPart part(Row row) {
        Buffer payload = row.getBuffer("payload");
        return new StoredPart(row.getUUID("id"), row.getInteger("part"), row.getString("text"),
                payload == null ? null : payload.getBytes(), SmsCoding.valueOf(row.getString("coding")),
                instant(row, "received_at"));
    }

    /** The stored parts of one concatenated SMS, in part order. */
    public Uni<List<StoredPart>> parts(SqlClient tx, UUID gatewayId, String number, String sender, int reference,
            int total) {
        return tx.preparedQuery("""
                SELECT id, part, text, payload, coding, received_at FROM message_part
                WHERE gateway_id = $1 AND number = $2 AND sender = $3 AND reference = $4 AND total = $5
                ORDER BY part""")
                .execute(Tuple.of(gatewayId, number, sender, reference, total)).map(rows -> {
                    List<StoredPart> result = new ArrayList<>();
                    for (Row row : rows) {
                        result.add(part(row));
                    }
                    return result;
                });
    }

    /** Removes reassembled parts and points their raw reports at the message they became. */
    public Uni<Void> completeParts(SqlClient tx, List<UUID> partIds, UUID messageId, String outcome) {
        UUID[] ids = partIds.toArray(new UUID[0]);
        return tx.preparedQuery("DELETE FROM message_part WHERE id = ANY($1)").execute(Tuple.of(ids))
                .chain(() -> tx.preparedQuery("UPDATE raw_message SET outcome = $2, message_id = $3 WHERE id = ANY($1)")
                        .execute(Tuple.of(ids, outcome, messageId)))
                .replaceWithVoid();
    }

    /**
     * Parts that waited longer than their reassembly timeout: removed, their raw reports kept as {@code incomplete}.
     * Answers how many.
     */
    public Uni<Integer> expireParts(SqlClient tx, Instant createdBefore, int limit) {
        return tx.preparedQuery("""
                WITH expired AS (
                    DELETE FROM message_part WHERE id IN (
                        SELECT id FROM message_part WHERE created_at < $1 ORDER BY created_at LIMIT $2
                        FOR UPDATE SKIP LOCKED)
                    RETURNING id)
                UPDATE raw_message SET outcome = 'incomplete' WHERE id IN (SELECT id FROM expired)""")
                .execute(Tuple.of(utc(createdBefore), limit)).map(RowSet::rowCount);
    }

    /** Deletes raw reports and seen gateway ids older than the retention period; answers how many rows. */
    public Uni<Integer> purge(SqlClient db, Instant before, int limit) {
        return db.preparedQuery("""
                DELETE FROM raw_message WHERE id IN (
                    SELECT id FROM raw_message WHERE ingested_at < $1 ORDER BY ingested_at LIMIT $2)""")
                .execute(Tuple.of(utc(before), limit)).map(RowSet::rowCount)
                .chain(raw -> db.preparedQuery("""
                        DELETE FROM seen_gateway_message WHERE (gateway_id, gateway_message_id) IN (
                            SELECT gateway_id, gateway_message_id FROM seen_gateway_message
                            WHERE seen_at < $1 ORDER BY seen_at LIMIT $2)""")
                        .execute(Tuple.of(utc(before), limit)).map(rows -> raw + rows.rowCount()));
    }

    /**
     * An earlier message with the same content (number, sender, body hash) received within {@code window} of either
     * time (the gateway's own and the one stored, which differ when the gateway's clock ran ahead).
     */
    public Uni<Optional<UUID>> findSameContent(SqlClient tx, String number, String contentHash, Instant reported,
            Instant receivedAt, Duration window) {
        Instant from = (reported.isBefore(receivedAt) ? reported : receivedAt).minus(window);
        Instant to = (reported.isAfter(receivedAt) ? reported : receivedAt).plus(window);
        return tx.preparedQuery("""
                SELECT id FROM inbound_message
                WHERE number = $1 AND content_hash = $2 AND received_at BETWEEN $3 AND $4
                ORDER BY received_at LIMIT 1""")
                .execute(Tuple.of(number, contentHash, utc(from), utc(to)))
                .map(rows -> firstUuid(rows, "id"));
    }

    /** A stored message as it was published. */
    public record StoredMessage(UUID id, String number, String sender, String body, String detectedService,
            String code, Instant receivedAt) {
    }

    /** The stored message {@code id}, if any. */
    public Uni<Optional<StoredMessage>> findMessage(SqlClient db, UUID id) {
        return db.preparedQuery("""
                SELECT id, number, sender, body, detected_service, code, received_at FROM inbound_message
                WHERE id = $1""")
                .execute(Tuple.of(id)).map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new StoredMessage(row.getUUID("id"), row.getString("number"),
                            row.getString("sender"), row.getString("body"), row.getString("detected_service"),
                            row.getString("code"), instant(row, "received_at")));
                });
    }

    public Uni<Void> insertMessage(SqlClient tx, NewMessage m) {
        return tx.preparedQuery("""
                INSERT INTO inbound_message (id, gateway_id, number, sender, body, content_hash, detected_service, code,
                                             parts, received_at, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""")
                .execute(Tuple.tuple().addUUID(m.id()).addUUID(m.gatewayId()).addString(m.number())
                        .addString(m.sender()).addString(m.body()).addString(m.contentHash())
                        .addString(m.detectedService()).addString(m.code()).addInteger(m.parts())
                        .addOffsetDateTime(utc(m.receivedAt())).addOffsetDateTime(utc(m.createdAt())))
                .replaceWithVoid();
    }

    /** Keeps one reported item as received, with what became of it. */
    public Uni<Void> insertRaw(SqlClient db, UUID id, UUID gatewayId, InboundSms sms, Instant receivedAt, Instant now,
            String outcome, UUID messageId) {
        return db.preparedQuery("""
                INSERT INTO raw_message (id, gateway_id, adapter, gateway_message_id, to_number, sender, text, payload,
                                         coding, udh, received_at, ingested_at, outcome, message_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)""")
                .execute(Tuple.tuple().addUUID(id).addUUID(gatewayId).addString(sms.adapter())
                        .addString(sms.gatewayMessageId()).addString(sms.to()).addString(sms.from())
                        .addString(sms.text()).addValue(bytes(sms.payload()))
                        .addString(sms.coding() == null ? null : sms.coding().name()).addString(sms.udh())
                        .addOffsetDateTime(utc(receivedAt)).addOffsetDateTime(utc(now)).addString(outcome)
                        .addUUID(messageId))
                .replaceWithVoid();
    }

    /** Where a raw report stands in its gateway's list: the cursor of the next page. */
    public record ReportPosition(Instant ingestedAt, UUID id) {
    }

    /** The position of the raw report {@code id} among the gateway's; empty when it is not one of the gateway's. */
    public Uni<Optional<ReportPosition>> reportPosition(SqlClient db, UUID gatewayId, UUID id) {
        return db.preparedQuery("SELECT ingested_at, id FROM raw_message WHERE id = $1 AND gateway_id = $2")
                .execute(Tuple.of(id, gatewayId))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(new ReportPosition(instant(rows.iterator().next(), "ingested_at"), id)));
    }

    /**
     * The gateway's raw reports, newest first (by the time they were reported, then id), after {@code before} (from
     * the newest when null), each with what its message showed: the service detected and whether a code was found
     * (never the text nor the code).
     */
    public Uni<List<GatewayMessage>> reports(SqlClient db, UUID gatewayId, ReportPosition before, int limit) {
        Uni<RowSet<Row>> rows = before == null
                // every report of the gateway is before (gateway, infinity, any id)
                ? db.preparedQuery(REPORTS + " ($1, 'infinity', '00000000-0000-0000-0000-000000000000')"
                        + REPORTS_ORDER + " LIMIT $2").execute(Tuple.of(gatewayId, limit))
                : db.preparedQuery(REPORTS + " ($1, $2, $3)" + REPORTS_ORDER + " LIMIT $4")
                        .execute(Tuple.of(gatewayId, utc(before.ingestedAt()), before.id(), limit));
        return rows.map(found -> {
            List<GatewayMessage> result = new ArrayList<>();
            for (Row row : found) {
                String to = row.getString("to_number");
                String outcome = row.getString("outcome");
                result.add(new GatewayMessage(row.getUUID("id"), to,
                        PhoneNumbers.toE164(to).map(PhoneNumbers::display).orElse(to), row.getString("sender"),
                        instant(row, "received_at"), row.getString("detected_service"),
                        Boolean.TRUE.equals(row.getBoolean("code_found")), IngestResult.DUPLICATE.equals(outcome),
                        outcome));
            }
            return result;
        });
    }

    /** A nullable {@code bytea} parameter (the Mutiny tuple's {@code addBuffer} refuses null). */
    private static Object bytes(byte[] value) {
        return value == null ? null : io.vertx.core.buffer.Buffer.buffer(value);
    }

    private static Optional<UUID> firstUuid(RowSet<Row> rows, String column) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID(column));
    }
}
