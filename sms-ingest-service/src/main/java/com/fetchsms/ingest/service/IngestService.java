package com.fetchsms.ingest.service;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.events.SmsInbound;
import com.fetchsms.common.outbox.Outbox;
import com.fetchsms.common.phone.PhoneNumbers;
import com.fetchsms.ingest.config.IngestConfig;
import com.fetchsms.ingest.domain.Concatenation;
import com.fetchsms.ingest.domain.Gateway;
import com.fetchsms.ingest.domain.InboundSms;
import com.fetchsms.ingest.domain.IngestResult;
import com.fetchsms.ingest.domain.SmsCoding;
import com.fetchsms.ingest.domain.SmsText;
import com.fetchsms.ingest.repository.MessageRepository;
import com.fetchsms.ingest.repository.MessageRepository.NewMessage;
import com.fetchsms.ingest.repository.MessageRepository.StoredPart;
import com.fetchsms.ingest.repository.NumberRepository;
import com.fetchsms.ingest.repository.NumberRepository.Assignment;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The ingest pipeline for one reported SMS, in one transaction:
 * <ol>
 * <li>the receiving number must be one the inventory assigns to the reporting gateway (else the report is kept as
 * {@code rejected}, logged, and answered 403; nothing is published);</li>
 * <li>the number's ingestion is serialised (transaction-scoped advisory lock), so copies arriving together are seen as
 * copies;</li>
 * <li>a gateway message id already seen (for gateways whose ids are unique) is a duplicate;</li>
 * <li>a part of a concatenated SMS is stored until all its parts are there, in any order, then the message is
 * reassembled (UCS-2 parts as bytes, so a character split across parts survives);</li>
 * <li>the same text from the same sender to the same number within the de-duplication window is a duplicate;</li>
 * <li>otherwise the service is detected, the code extracted, the message stored and {@code sms.inbound} written to
 * the outbox in the same transaction.</li>
 * </ol>
 * Every report is kept in {@code raw_message} with its outcome.
 */
@ApplicationScoped
public class IngestService {

    private static final Logger LOG = Logger.getLogger(IngestService.class);
    private static final int MAX_SENDER = 64;
    private static final int MAX_GATEWAY_ID = 200;
    private static final int MAX_PARTS = 255;
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** NUL and the other C0 controls but tab, LF and CR: PostgreSQL text and JSON events refuse NUL. */
    private static final java.util.regex.Pattern CONTROLS = java.util.regex.Pattern
            .compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]");

    /** The transaction's outcome: a result, or a rejection to answer with 403 once the audit row is committed. */
    private record Step(IngestResult result, String rejection) {
    }

    private final Pool pool;
    private final NumberRepository numbers;
    private final MessageRepository messages;
    private final MessageAnalyzer analyzer;
    private final Outbox outbox;
    private final IngestConfig config;
    private final MeterRegistry registry;

    public IngestService(Pool pool, NumberRepository numbers, MessageRepository messages, MessageAnalyzer analyzer,
            Outbox outbox, IngestConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.numbers = numbers;
        this.messages = messages;
        this.analyzer = analyzer;
        this.outbox = outbox;
        this.config = config;
        this.registry = registry;
    }

    /**
     * Checks and normalises a report: 422 with a precise detail when the gateway sent something unusable. Answers
     * the report with {@code to} in E.164 and {@code from} trimmed.
     */
    public InboundSms validate(InboundSms sms) {
        String to = PhoneNumbers.toE164(sms.to()).orElseThrow(() -> ApiException
                .unprocessable("'to' must be a US phone number in E.164 (+13325550184)"));
        String from = sms.from() == null ? "" : clean(sms.from()).strip();
        if (from.isEmpty()) {
            throw ApiException.unprocessable("'from' (the sender) is required");
        }
        if (from.length() > MAX_SENDER) {
            throw ApiException.unprocessable("'from' is longer than " + MAX_SENDER + " characters");
        }
        if (sms.text() == null && sms.payload() == null) {
            throw ApiException.unprocessable("'text' is required");
        }
        if (sms.text() != null && sms.text().length() > config.maxTextLength()) {
            throw ApiException.unprocessable("'text' is longer than " + config.maxTextLength() + " characters");
        }
        if (sms.payload() != null && sms.payload().length > config.maxTextLength() * 2) {
            throw ApiException.unprocessable("The message is longer than " + config.maxTextLength() + " characters");
        }
        String id = sms.gatewayMessageId() == null || clean(sms.gatewayMessageId()).isBlank()
                ? null
                : clean(sms.gatewayMessageId()).strip();
        if (sms.receivedAt() != null && sms.receivedAt().isBefore(EARLIEST)) {
            throw ApiException.unprocessable("'received_at' is before 2000: check the gateway's clock");
        }
        if (id != null && id.length() > MAX_GATEWAY_ID) {
            throw ApiException.unprocessable("'gateway_message_id' is longer than " + MAX_GATEWAY_ID + " characters");
        }
        Concatenation concat = sms.concatenation();
        if (concat != null && (concat.total() < 1 || concat.total() > MAX_PARTS || concat.part() < 1
                || concat.part() > concat.total() || concat.reference() < 0)) {
            throw ApiException.unprocessable("The multipart header is invalid (part " + concat.part() + " of "
                    + concat.total() + ")");
        }
        if (concat != null && concat.total() == 1) {
            concat = null; // a "1 of 1" concatenation is a plain SMS
        }
        return new InboundSms(sms.adapter(), id, sms.idsUnique(), to, from,
                sms.text() == null ? null : clean(sms.text()), sms.payload(),
                sms.coding() == null ? SmsCoding.UTF8 : sms.coding(), concat, sms.udh(), sms.receivedAt());
    }

    /** Ingests one validated report from {@code gateway}. Fails with 403 for a number the gateway does not serve. */
    public Uni<IngestResult> ingest(Gateway gateway, InboundSms sms) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // received_at as published: the gateway's time, unless it is ahead of ours (a fast modem clock); duplicates
        // are looked for around the gateway's own time, which a resend repeats even when the clamp moves
        Instant reported = sms.receivedAt() == null ? now : sms.receivedAt().truncatedTo(ChronoUnit.MICROS);
        Instant receivedAt = reported.isAfter(now.plus(config.maxClockAhead())) ? now : reported;
        return pool.withTransaction(tx -> numbers.find(tx, sms.to()).chain(assignment -> {
            if (!servedBy(assignment, gateway)) {
                return messages.insertRaw(tx, UUID.randomUUID(), gateway.id(), sms, receivedAt, now, "rejected", null)
                        .replaceWith(new Step(null, assignment.isEmpty()
                                ? "not in the inventory"
                                : "retired".equals(assignment.get().state())
                                        ? "retired"
                                        : "served by another gateway"));
            }
            return messages.lockNumber(tx, sms.to())
                    .chain(() -> deduplicateById(tx, gateway, sms, receivedAt, reported, now))
                    .map(result -> new Step(result, null));
        })).map(step -> {
            if (step.rejection() != null) {
                count(sms.adapter(), "rejected");
                LOG.warnf("Gateway %s (%s) reported an SMS for %s, which is %s: rejected, not published",
                        gateway.id(), gateway.name(), sms.to(), step.rejection());
                throw ApiException.forbidden(sms.to() + " is not a number of this gateway");
            }
            count(sms.adapter(), step.result().outcome());
            return step.result();
        });
    }

    private static boolean servedBy(Optional<Assignment> assignment, Gateway gateway) {
        return assignment.isPresent() && gateway.id().equals(assignment.get().gatewayId())
                && !"retired".equals(assignment.get().state());
    }

    private Uni<IngestResult> deduplicateById(SqlConnection tx, Gateway gateway, InboundSms sms, Instant receivedAt,
            Instant reported, Instant now) {
        if (!sms.idsUnique() || sms.gatewayMessageId() == null) {
            return store(tx, gateway, sms, receivedAt, reported, now);
        }
        // gateways that send every part of a long SMS under the message's id: the part is part of the key
        String seenId = sms.multipart()
                ? sms.gatewayMessageId() + "#" + sms.concatenation().reference() + "/" + sms.concatenation().total()
                        + "/" + sms.concatenation().part()
                : sms.gatewayMessageId();
        return messages.findSeen(tx, gateway.id(), seenId).chain(seen -> {
            if (seen.isPresent()) {
                return messages.insertRaw(tx, UUID.randomUUID(), gateway.id(), sms, receivedAt, now,
                        IngestResult.DUPLICATE, seen.get()).replaceWith(IngestResult.duplicate(seen.get()));
            }
            return store(tx, gateway, sms, receivedAt, reported, now).call(
                    result -> messages.insertSeen(tx, gateway.id(), seenId, result.id(), now));
        });
    }

    private Uni<IngestResult> store(SqlConnection tx, Gateway gateway, InboundSms sms, Instant receivedAt,
            Instant reported, Instant now) {
        UUID rawId = UUID.randomUUID();
        if (!sms.multipart()) {
            String body = sms.text() != null ? sms.text() : clean(SmsText.decode(sms.payload(), sms.coding()));
            return accept(tx, gateway, sms.to(), sms.from(), body, 1, receivedAt, reported, now)
                    .call(result -> messages.insertRaw(tx, rawId, gateway.id(), sms, receivedAt, now, result.outcome(),
                            result.id()));
        }
        return messages.insertPart(tx, rawId, gateway.id(), sms, receivedAt, now).chain(existing -> {
            if (existing.isPresent() && sameContent(existing.get(), sms)) {
                return messages.insertRaw(tx, rawId, gateway.id(), sms, receivedAt, now, IngestResult.DUPLICATE,
                        existing.get().id()).replaceWith(IngestResult.duplicate(existing.get().id()));
            }
            // a different text in the same position: the sender reused the reference (8-bit references wrap at
            // 256) while an older set still waits for a lost part; the older part gives way, kept as incomplete
            Uni<Void> stored = existing.isPresent()
                    ? messages.replacePart(tx, existing.get().id(), rawId, gateway.id(), sms, receivedAt, now)
                    : Uni.createFrom().voidItem();
            Concatenation concat = sms.concatenation();
            return stored
                    .chain(() -> messages.insertRaw(tx, rawId, gateway.id(), sms, receivedAt, now,
                            IngestResult.PARTIAL, null))
                    .chain(() -> messages.parts(tx, gateway.id(), sms.to(), sms.from(), concat.reference(),
                            concat.total()))
                    .chain(parts -> parts.size() < concat.total()
                            ? Uni.createFrom().item(IngestResult.partial(rawId))
                            : reassemble(tx, gateway, sms, parts, now));
        });
    }

    private static boolean sameContent(StoredPart stored, InboundSms part) {
        return java.util.Objects.equals(stored.text(), part.text())
                && java.util.Arrays.equals(stored.payload(), part.payload());
    }

    private Uni<IngestResult> reassemble(SqlConnection tx, Gateway gateway, InboundSms sms, List<StoredPart> parts,
            Instant now) {
        String body = join(parts);
        if (body.length() > config.maxTextLength()) {
            LOG.warnf("A %d-part SMS to %s is %d characters long: kept to its first %d", parts.size(), sms.to(),
                    body.length(), config.maxTextLength());
            body = body.substring(0, config.maxTextLength());
        }
        Instant firstReceived = parts.stream().map(StoredPart::receivedAt).min(Instant::compareTo).orElse(now);
        List<UUID> ids = parts.stream().map(StoredPart::id).toList();
        return accept(tx, gateway, sms.to(), sms.from(), body, parts.size(), firstReceived, firstReceived, now)
                .call(result -> messages.completeParts(tx, ids, result.id(), result.outcome()));
    }

    /**
     * The text of a reassembled message. Parts that all carry raw bytes in one coding are concatenated as bytes and
     * decoded once (a UTF-16 surrogate pair may straddle two parts); otherwise each part is decoded and joined.
     */
    static String join(List<StoredPart> parts) {
        SmsCoding coding = parts.get(0).coding();
        boolean sameBytes = parts.stream().allMatch(p -> p.payload() != null && p.coding() == coding);
        if (sameBytes && coding != SmsCoding.GSM7_PACKED) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            parts.forEach(p -> bytes.writeBytes(p.payload()));
            return clean(SmsText.decode(bytes.toByteArray(), coding));
        }
        StringBuilder text = new StringBuilder();
        for (StoredPart part : parts) {
            text.append(part.text() != null ? part.text() : clean(SmsText.decode(part.payload(), part.coding())));
        }
        return text.toString();
    }

    private Uni<IngestResult> accept(SqlConnection tx, Gateway gateway, String number, String sender, String body,
            int parts, Instant receivedAt, Instant reported, Instant now) {
        String hash = contentHash(number, sender, body);
        return messages.findSameContent(tx, number, hash, reported, receivedAt, config.dedupWindow()).chain(same -> {
            if (same.isPresent()) {
                return Uni.createFrom().item(IngestResult.duplicate(same.get()));
            }
            MessageAnalyzer.Analysis analysis = analyzer.analyze(sender, body);
            UUID id = UUID.randomUUID();
            return messages.insertMessage(tx, new NewMessage(id, gateway.id(), number, sender, body, hash,
                    analysis.service(), analysis.code(), parts, receivedAt, now))
                    .chain(() -> outbox.publish(tx, new SmsInbound(id, number, sender, body, analysis.service(),
                            analysis.serviceName(), analysis.code(), gateway.id(), receivedAt)))
                    .invoke(() -> registry.counter("fetchsms_ingest_detections_total", "service_detected",
                            String.valueOf(analysis.service() != null), "code_found",
                            String.valueOf(analysis.code() != null)).increment())
                    .replaceWith(IngestResult.accepted(id));
        });
    }

    static String clean(String text) {
        return CONTROLS.matcher(text).replaceAll("");
    }

    static String contentHash(String number, String sender, String body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((number + "\n" + sender + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(body.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void count(String adapter, String outcome) {
        registry.counter("fetchsms_ingest_messages_total", "adapter", adapter, "outcome", outcome).increment();
    }
}
