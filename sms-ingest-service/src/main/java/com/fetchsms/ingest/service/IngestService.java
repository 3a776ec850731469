package com.fetchsms.ingest.service;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.error.TransientFailures;
import com.fetchsms.common.events.SmsInbound;
import com.fetchsms.common.input.TextGuard;
import com.fetchsms.common.outbox.Outbox;
import com.fetchsms.common.phone.PhoneNumbers;
import com.fetchsms.common.sandbox.Sandbox;
import com.fetchsms.ingest.config.IngestConfig;
import com.fetchsms.ingest.domain.Concatenation;
import com.fetchsms.ingest.domain.Gateway;
import com.fetchsms.ingest.domain.InboundSms;
import com.fetchsms.ingest.domain.IngestResult;
import com.fetchsms.ingest.domain.SmsCoding;
import com.fetchsms.ingest.domain.SmsText;
import com.fetchsms.ingest.repository.MessageRepository;
import com.fetchsms.ingest.repository.MessageRepository.NewMessage;
import com.fetchsms.ingest.repository.MessageRepository.RawReport;
import com.fetchsms.ingest.repository.MessageRepository.StoredContent;
import com.fetchsms.ingest.repository.MessageRepository.StoredPart;
import com.fetchsms.ingest.repository.NumberRepository;
import com.fetchsms.ingest.repository.NumberRepository.Assignment;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The ingest pipeline for reported SMS: one report, or a batch of one gateway's reports, in one transaction:
 * <ol>
 * <li>the receiving number must be one the inventory assigns to the reporting gateway: the local copy of
 * {@code inventory.numbers} says so, or, when it does not (yet), catalog-service does ({@link InventoryLookup}; its
 * answer is stored in the copy). Otherwise the report is kept as {@code rejected}, logged, and answered 403; nothing
 * is published. When catalog-service cannot be asked, the report is answered 503 with {@code Retry-After} and nothing
 * is stored (modem gateways send it again);</li>
 * <li>the numbers' ingestion is serialised (transaction-scoped advisory locks, taken in key order), so copies arriving
 * together are seen as copies;</li>
 * <li>a gateway message id already seen (for gateways whose ids are unique) is a duplicate;</li>
 * <li>a part of a concatenated SMS is stored until all its parts are there, in any order, then the message is
 * reassembled (UCS-2 parts as bytes, so a character split across parts survives);</li>
 * <li>the same text from the same sender to the same number within the de-duplication window is a duplicate;</li>
 * <li>otherwise the service is detected, the code extracted, the message stored and {@code sms.inbound} written to
 * the outbox in the same transaction.</li>
 * </ol>
 * Every report is kept in {@code raw_message} with its outcome. Reports are decided in their order: a later report of
 * a batch sees what an earlier one stored.
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

    private static final String RETIRED = "retired";

    /** What became of one report: its result, or the failure to answer it with (403, 503, …). */
    public record Outcome(IngestResult result, Throwable failure) {

        public static Outcome of(IngestResult result) {
            return new Outcome(result, null);
        }

        public static Outcome failed(Throwable failure) {
            return new Outcome(null, failure);
        }
    }

    private final Pool pool;
    private final NumberRepository numbers;
    private final MessageRepository messages;
    private final MessageAnalyzer analyzer;
    private final Outbox outbox;
    private final IngestConfig config;
    private final MeterRegistry registry;
    private final InventoryLookup lookup;
    private final ReportBatcher batcher;

    public IngestService(Pool pool, NumberRepository numbers, MessageRepository messages, MessageAnalyzer analyzer,
            Outbox outbox, IngestConfig config, MeterRegistry registry, InventoryLookup lookup) {
        this.pool = pool;
        this.numbers = numbers;
        this.messages = messages;
        this.analyzer = analyzer;
        this.outbox = outbox;
        this.config = config;
        this.registry = registry;
        this.lookup = lookup;
        this.batcher = new ReportBatcher(this::ingestAll, config, registry);
    }

    /**
     * Checks and normalises a report: 422 with a precise detail when the gateway sent something unusable. Answers
     * the report with {@code to} in E.164 and {@code from} trimmed.
     */
    public InboundSms validate(InboundSms sms) {
        String to = PhoneNumbers.toE164(sms.to()).orElseThrow(() -> ApiException
                .unprocessable("'to' must be a US phone number in E.164 (+13325550184)"));
        // control characters are removed (the SMS is not the gateway's to fix); broken UTF-16 is refused
        String from = sms.from() == null ? "" : TextGuard.multiLine(clean(sms.from()).strip(), "from");
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
                : TextGuard.multiLine(clean(sms.gatewayMessageId()).strip(), "gateway_message_id");
        String text = sms.text() == null ? null : TextGuard.multiLine(clean(sms.text()), "text");
        if (sms.receivedAt() != null && sms.receivedAt().isBefore(EARLIEST)) {
            throw ApiException.unprocessable("'received_at' is before 2000: check the gateway's clock");
        }
        TextGuard.within(sms.receivedAt(), "received_at", null, null);
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
                text, sms.payload(),
                sms.coding() == null ? SmsCoding.UTF8 : sms.coding(), concat, sms.udh(), sms.receivedAt());
    }

    /**
     * Ingests one validated report from {@code gateway}: in a transaction of its own, or, while the gateway's earlier
     * reports are being ingested, together with the reports that arrived meanwhile ({@link ReportBatcher}). Fails with
     * 403 for a number the gateway does not serve, 503 (with {@code Retry-After}) when the inventory could not be
     * checked for it.
     */
    public Uni<IngestResult> ingest(Gateway gateway, InboundSms sms) {
        return batcher.submit(gateway, sms);
    }

    /**
     * Ingests validated reports from {@code gateway} in one transaction, in their order (a later report sees what an
     * earlier one stored: a copy within the batch is a duplicate). Answers one outcome per report, in the same order.
     * Reports that one transaction could not take for a reason that is not transient (a failing item) are ingested
     * again one by one, each in its own transaction, so one bad report never costs the others; a transient failure
     * (the database unavailable) fails every report of the batch, which the gateway sends again.
     */
    public Uni<List<Outcome>> ingestAll(Gateway gateway, List<InboundSms> reports) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return ingestAll(gateway, reports, Collections.nCopies(reports.size(), now));
    }

    /**
     * {@link #ingestAll(Gateway, List)} for reports that arrived at the given instants (one per report): a report
     * without the gateway's {@code received_at} is dated by its arrival.
     */
    Uni<List<Outcome>> ingestAll(Gateway gateway, List<InboundSms> reports, List<Instant> arrivals) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            items.add(new Item(reports.get(i), arrivals.get(i), config.maxClockAhead()));
        }
        List<MessageAnalyzer.Analysis> detections = new ArrayList<>();
        return ownership(gateway, items)
                .chain(learnt -> transact(gateway, items, learnt, detections, now))
                .map(ignored -> outcomes(gateway, items, detections))
                .onFailure(failure -> reports.size() > 1).recoverWithUni(failure -> {
                    if (TransientFailures.isTransient(failure)) {
                        LOG.warnf("A batch of %d reports of gateway %s failed: %s", reports.size(), gateway.id(),
                                failure.toString());
                        return Uni.createFrom().item(reports.stream().map(r -> Outcome.failed(failure)).toList());
                    }
                    LOG.warnf(failure, "A batch of %d reports of gateway %s failed: each is ingested on its own",
                            reports.size(), gateway.id());
                    List<Integer> indexes = IntStream.range(0, reports.size()).boxed().toList();
                    return Multi.createFrom().iterable(indexes).onItem().transformToUniAndConcatenate(
                            i -> ingestAll(gateway, List.of(reports.get(i)), List.of(arrivals.get(i)))
                                    .map(outcomes -> outcomes.get(0))
                                    .onFailure().recoverWithItem(Outcome::failed))
                            .collect().asList();
                });
    }

    /**
     * Decides, for every report, whether its number is the gateway's: from the local copy of the inventory, and for a
     * number the copy does not show with this gateway (not there yet, moved, retired), from catalog-service. Marks the
     * refused and the unverifiable reports; answers catalog's answers, to be stored in the local copy.
     */
    private Uni<Map<String, InventoryLookup.Answer>> ownership(Gateway gateway, List<Item> items) {
        Set<String> reported = new LinkedHashSet<>();
        items.forEach(item -> reported.add(item.sms.to()));
        return numbers.findAll(pool, reported).chain(view -> {
            Set<String> unsure = new LinkedHashSet<>();
            Map<String, String> refused = new HashMap<>();
            for (String number : reported) {
                Assignment assignment = view.get(number);
                if (servedBy(Optional.ofNullable(assignment), gateway)) {
                    continue;
                }
                if (gateway.sandbox()) {
                    // the sandbox is never asked about at catalog: its numbers are stocked long before they are used,
                    // and a number the copy does not show as a sandbox number is none
                    refused.put(number, "not a sandbox number");
                } else if (assignment != null && Sandbox.NUMBER_STATE.equals(assignment.state())) {
                    // a sandbox number never becomes a modem's: no need to ask
                    refused.put(number, "a sandbox number");
                } else {
                    unsure.add(number);
                }
            }
            for (Item item : items) {
                item.rejection = refused.get(item.sms.to());
            }
            if (unsure.isEmpty()) {
                return Uni.createFrom().item(Map.<String, InventoryLookup.Answer>of());
            }
            return lookup.lookup(unsure).map(Optional::of)
                    .onFailure().recoverWithItem(Optional.<Map<String, InventoryLookup.Answer>>empty())
                    .map(answered -> {
                        Map<String, InventoryLookup.Answer> learnt = new HashMap<>();
                        for (Item item : items) {
                            String number = item.sms.to();
                            if (!unsure.contains(number)) {
                                continue;
                            }
                            if (answered.isEmpty()) {
                                item.unavailable = true;
                                continue;
                            }
                            InventoryLookup.Answer answer = answered.get().get(number);
                            if (answer.known()) {
                                learnt.put(number, answer);
                            }
                            item.rejection = servedBy(answer, gateway) ? null : rejection(answer);
                        }
                        return learnt;
                    });
        });
    }

    private Uni<Void> transact(Gateway gateway, List<Item> items, Map<String, InventoryLookup.Answer> learnt,
            List<MessageAnalyzer.Analysis> detections, Instant now) {
        // catalog's answers go into the copy first, each in a statement of its own: true whatever becomes of the
        // batch, and never a row lock held while the batch waits for its numbers (nor in an order that could meet
        // the inventory consumer's the other way round)
        List<Uni<Void>> learning = new ArrayList<>();
        learnt.forEach((number, answer) -> learning.add(
                numbers.upsert(pool, number, answer.gatewayId(), answer.state(), answer.changedAt())));
        Uni<Void> learn = learning.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(learning).andFailFast().replaceWithVoid();
        if (items.stream().allMatch(item -> item.unavailable)) {
            return learn;
        }
        return learn.chain(() -> pool.withTransaction(tx -> new Run(tx, gateway, now, detections).execute(items)));
    }

    /** After the commit: each report's outcome, counted; refusals logged. */
    private List<Outcome> outcomes(Gateway gateway, List<Item> items, List<MessageAnalyzer.Analysis> detections) {
        for (MessageAnalyzer.Analysis analysis : detections) {
            registry.counter("fetchsms_ingest_detections_total", "service_detected",
                    String.valueOf(analysis.service() != null), "code_found", String.valueOf(analysis.code() != null))
                    .increment();
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Item item : items) {
            if (item.unavailable) {
                count(item.sms.adapter(), "unavailable");
                outcomes.add(Outcome.failed(new ApiException(503, "Temporarily unavailable: " + item.sms.to()
                        + " could not be checked against the inventory; send it again",
                        config.inventoryLookup().retryAfter())));
            } else if (item.rejection != null && gateway.sandbox()) {
                count(item.sms.adapter(), "rejected");
                LOG.debugf("A simulated SMS for %s, which is %s: rejected, not published", item.sms.to(),
                        item.rejection);
                outcomes.add(Outcome.failed(ApiException.unprocessable("'to' is not a sandbox number: "
                        + item.sms.to() + " (a simulated SMS goes only to a sandbox number, such as the one a test"
                        + " key's verification or rental was given)")));
            } else if (item.rejection != null) {
                count(item.sms.adapter(), "rejected");
                LOG.warnf("Gateway %s (%s) reported an SMS for %s, which is %s: rejected, not published",
                        gateway.id(), gateway.name(), item.sms.to(), item.rejection);
                outcomes.add(
                        Outcome.failed(ApiException.forbidden(item.sms.to() + " is not a number of this gateway")));
            } else {
                count(item.sms.adapter(), item.result.outcome());
                outcomes.add(Outcome.of(item.result));
            }
        }
        return outcomes;
    }

    private static boolean servedBy(Optional<Assignment> assignment, Gateway gateway) {
        return assignment.isPresent() && gateway.id().equals(assignment.get().gatewayId())
                && serves(gateway, assignment.get().state());
    }

    private static boolean servedBy(InventoryLookup.Answer answer, Gateway gateway) {
        return answer.known() && gateway.id().equals(answer.gatewayId()) && serves(gateway, answer.state());
    }

    /**
     * Whether a number in {@code state} may receive SMS from {@code gateway}: the sandbox's gateway serves only sandbox
     * numbers; a modem gateway serves any number of its own that is neither retired nor a sandbox number (whatever
     * gateway id an event carried, sandbox and live numbers never mix).
     */
    static boolean serves(Gateway gateway, String state) {
        if (gateway.sandbox()) {
            return Sandbox.NUMBER_STATE.equals(state);
        }
        return !RETIRED.equals(state) && !Sandbox.NUMBER_STATE.equals(state);
    }

    private static String rejection(InventoryLookup.Answer answer) {
        if (!answer.known()) {
            return "not in the inventory";
        }
        if (Sandbox.NUMBER_STATE.equals(answer.state())) {
            return "a sandbox number";
        }
        return RETIRED.equals(answer.state()) ? "retired" : "served by another gateway";
    }

    /** One report on its way through the batch. */
    private static final class Item {

        final InboundSms sms;
        /** The gateway's own time (duplicates are looked for around it: a resend repeats it). */
        final Instant reported;
        /** received_at as published: the gateway's time, unless it is ahead of ours (a fast modem clock). */
        final Instant receivedAt;
        /** The key of a gateway id to de-duplicate by, or null. */
        final String seenKey;
        /** A single SMS's text and content hash (null for a part of a concatenated SMS). */
        final String body;
        final String hash;
        /** Why the number is refused, or null. */
        String rejection;
        /** The inventory could not be checked for the number. */
        boolean unavailable;
        IngestResult result;

        Item(InboundSms sms, Instant arrived, Duration maxClockAhead) {
            this.sms = sms;
            this.reported = sms.receivedAt() == null ? arrived : sms.receivedAt().truncatedTo(ChronoUnit.MICROS);
            this.receivedAt = reported.isAfter(arrived.plus(maxClockAhead)) ? arrived : reported;
            if (!sms.idsUnique() || sms.gatewayMessageId() == null) {
                this.seenKey = null;
            } else if (sms.multipart()) {
                // gateways that send every part of a long SMS under the message's id: the part is part of the key
                this.seenKey = sms.gatewayMessageId() + "#" + sms.concatenation().reference() + "/"
                        + sms.concatenation().total() + "/" + sms.concatenation().part();
            } else {
                this.seenKey = sms.gatewayMessageId();
            }
            if (sms.multipart()) {
                this.body = null;
                this.hash = null;
            } else {
                this.body = sms.text() != null ? sms.text() : clean(SmsText.decode(sms.payload(), sms.coding()));
                this.hash = contentHash(sms.to(), sms.from(), body);
            }
        }
    }

    /**
     * One batch's transaction. Reads are set-based and taken up front, after the numbers' locks: the gateway ids and
     * the contents the batch could repeat; single SMS are then decided in memory (a later report sees what an earlier
     * one stored) and written set-based at the end. A part of a concatenated SMS goes to the database as it comes
     * (after what is pending is written), since its siblings are there.
     */
    private final class Run {

        private final SqlConnection tx;
        private final Gateway gateway;
        private final Instant now;
        private final List<MessageAnalyzer.Analysis> detections;
        /** gateway id key → the message or part it produced */
        private final Map<String, UUID> seen = new HashMap<>();
        /** number + "\n" + content hash → messages with that content */
        private final Map<String, List<StoredContent>> contents = new HashMap<>();
        private final List<NewMessage> newMessages = new ArrayList<>();
        private final List<SmsInbound> events = new ArrayList<>();
        private final List<RawReport> raws = new ArrayList<>();
        private final List<String> seenIds = new ArrayList<>();
        private final List<UUID> seenRefs = new ArrayList<>();

        Run(SqlConnection tx, Gateway gateway, Instant now, List<MessageAnalyzer.Analysis> detections) {
            this.tx = tx;
            this.gateway = gateway;
            this.now = now;
            this.detections = detections;
        }

        Uni<Void> execute(List<Item> items) {
            // sent together (pipelined) and run in this order: the reads see the state once the locks are held
            List<Uni<Void>> first = new ArrayList<>();
            List<Item> served = new ArrayList<>();
            for (Item item : items) {
                if (item.unavailable) {
                    continue;
                }
                if (item.rejection != null) {
                    raws.add(raw(item, "rejected", null));
                } else {
                    served.add(item);
                }
            }
            if (!served.isEmpty()) {
                first.add(messages.lockNumbers(tx, served.stream().map(item -> item.sms.to()).toList()));
                Set<String> seenKeys = new HashSet<>();
                served.stream().filter(item -> item.seenKey != null).forEach(item -> seenKeys.add(item.seenKey));
                if (!seenKeys.isEmpty()) {
                    first.add(messages.findSeenAll(tx, gateway.id(), seenKeys).invoke(seen::putAll)
                            .replaceWithVoid());
                }
                Uni<Void> contentsRead = readContents(served);
                if (contentsRead != null) {
                    first.add(contentsRead);
                }
            }
            Uni<Void> read = first.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : Uni.join().all(first).andFailFast().replaceWithVoid();
            return read.chain(() -> process(served, 0)).chain(this::flush);
        }

        /** The stored messages that the batch's single SMS could repeat (the widest window of them all). */
        private Uni<Void> readContents(List<Item> served) {
            Set<String> keys = new HashSet<>();
            List<String> keyNumbers = new ArrayList<>();
            List<String> keyHashes = new ArrayList<>();
            Instant from = null;
            Instant to = null;
            for (Item item : served) {
                if (item.hash == null) {
                    continue;
                }
                if (keys.add(key(item.sms.to(), item.hash))) {
                    keyNumbers.add(item.sms.to());
                    keyHashes.add(item.hash);
                }
                Instant earliest = min(item.reported, item.receivedAt).minus(config.dedupWindow());
                Instant latest = max(item.reported, item.receivedAt).plus(config.dedupWindow());
                from = from == null ? earliest : min(from, earliest);
                to = to == null ? latest : max(to, latest);
            }
            if (keys.isEmpty()) {
                return null;
            }
            return messages.findContents(tx, keyNumbers, keyHashes, from, to)
                    .invoke(found -> found.forEach(this::remember)).replaceWithVoid();
        }

        /** Single SMS in memory, in order; a part of a concatenated SMS on the database, after what is pending. */
        private Uni<Void> process(List<Item> served, int from) {
            for (int i = from; i < served.size(); i++) {
                Item item = served.get(i);
                if (item.sms.multipart()) {
                    int next = i + 1;
                    return flush().chain(() -> part(item)).chain(() -> process(served, next));
                }
                single(item);
            }
            return Uni.createFrom().voidItem();
        }

        private void single(Item item) {
            if (item.seenKey != null && seen.containsKey(item.seenKey)) {
                UUID earlier = seen.get(item.seenKey);
                raws.add(raw(item, IngestResult.DUPLICATE, earlier));
                item.result = IngestResult.duplicate(earlier);
                return;
            }
            IngestResult result = accept(item.sms.to(), item.sms.from(), item.body, item.hash, item.receivedAt,
                    item.reported);
            raws.add(raw(item, result.outcome(), result.id()));
            see(item, result.id());
            item.result = result;
        }

        /** A single SMS not seen by id: a duplicate by content, or a new message (stored and published). */
        private IngestResult accept(String number, String sender, String body, String hash, Instant receivedAt,
                Instant reported) {
            Instant from = min(reported, receivedAt).minus(config.dedupWindow());
            Instant to = max(reported, receivedAt).plus(config.dedupWindow());
            StoredContent same = null;
            for (StoredContent stored : contents.getOrDefault(key(number, hash), List.of())) {
                if (!stored.receivedAt().isBefore(from) && !stored.receivedAt().isAfter(to)
                        && (same == null || stored.receivedAt().isBefore(same.receivedAt()))) {
                    same = stored;
                }
            }
            if (same != null) {
                return IngestResult.duplicate(same.id());
            }
            MessageAnalyzer.Analysis analysis = analyzer.analyze(sender, body);
            UUID id = UUID.randomUUID();
            newMessages.add(new NewMessage(id, gateway.id(), number, sender, body, hash, analysis.service(),
                    analysis.code(), 1, receivedAt, now));
            events.add(new SmsInbound(id, number, sender, body, analysis.service(), analysis.serviceName(),
                    analysis.code(), gateway.id(), receivedAt));
            remember(new StoredContent(number, hash, id, receivedAt));
            detections.add(analysis);
            return IngestResult.accepted(id);
        }

        /** One part of a concatenated SMS: stored until its siblings are there, then the message is reassembled. */
        private Uni<Void> part(Item item) {
            if (item.seenKey != null && seen.containsKey(item.seenKey)) {
                UUID earlier = seen.get(item.seenKey);
                raws.add(raw(item, IngestResult.DUPLICATE, earlier));
                item.result = IngestResult.duplicate(earlier);
                return Uni.createFrom().voidItem();
            }
            InboundSms sms = item.sms;
            UUID rawId = UUID.randomUUID();
            return messages.insertPart(tx, rawId, gateway.id(), sms, item.receivedAt, now).chain(existing -> {
                if (existing.isPresent() && sameContent(existing.get(), sms)) {
                    return messages.insertRaw(tx, rawId, gateway.id(), sms, item.receivedAt, now,
                            IngestResult.DUPLICATE, existing.get().id())
                            .replaceWith(IngestResult.duplicate(existing.get().id()));
                }
                // a different text in the same position: the sender reused the reference (8-bit references wrap at
                // 256) while an older set still waits for a lost part; the older part gives way, kept as incomplete
                Uni<Void> stored = existing.isPresent()
                        ? messages.replacePart(tx, existing.get().id(), rawId, gateway.id(), sms, item.receivedAt,
                                now)
                        : Uni.createFrom().voidItem();
                Concatenation concat = sms.concatenation();
                return stored
                        .chain(() -> messages.insertRaw(tx, rawId, gateway.id(), sms, item.receivedAt, now,
                                IngestResult.PARTIAL, null))
                        .chain(() -> messages.parts(tx, gateway.id(), sms.to(), sms.from(), concat.reference(),
                                concat.total()))
                        .chain(parts -> parts.size() < concat.total()
                                ? Uni.createFrom().item(IngestResult.partial(rawId))
                                : reassemble(sms, parts));
            }).invoke(result -> {
                see(item, result.id());
                item.result = result;
            }).replaceWithVoid();
        }

        private Uni<IngestResult> reassemble(InboundSms sms, List<StoredPart> parts) {
            String body = join(parts);
            if (body.length() > config.maxTextLength()) {
                LOG.warnf("A %d-part SMS to %s is %d characters long: kept to its first %d", parts.size(), sms.to(),
                        body.length(), config.maxTextLength());
                body = body.substring(0, config.maxTextLength());
            }
            String text = body;
            Instant firstReceived = parts.stream().map(StoredPart::receivedAt).min(Instant::compareTo).orElse(now);
            List<UUID> ids = parts.stream().map(StoredPart::id).toList();
            String hash = contentHash(sms.to(), sms.from(), text);
            // everything pending was written before this part: the database has every message to compare with
            return messages.findSameContent(tx, sms.to(), hash, firstReceived, firstReceived, config.dedupWindow())
                    .chain(same -> {
                        if (same.isPresent()) {
                            return Uni.createFrom().item(IngestResult.duplicate(same.get()));
                        }
                        MessageAnalyzer.Analysis analysis = analyzer.analyze(sms.from(), text);
                        UUID id = UUID.randomUUID();
                        return messages.insertMessage(tx, new NewMessage(id, gateway.id(), sms.to(), sms.from(), text,
                                hash, analysis.service(), analysis.code(), parts.size(), firstReceived, now))
                                .chain(() -> outbox.publish(tx, new SmsInbound(id, sms.to(), sms.from(), text,
                                        analysis.service(), analysis.serviceName(), analysis.code(), gateway.id(),
                                        firstReceived)))
                                .invoke(() -> {
                                    remember(new StoredContent(sms.to(), hash, id, firstReceived));
                                    detections.add(analysis);
                                })
                                .replaceWith(IngestResult.accepted(id));
                    })
                    .call(result -> messages.completeParts(tx, ids, result.id(), result.outcome()));
        }

        private void see(Item item, UUID ref) {
            if (item.seenKey != null) {
                seen.put(item.seenKey, ref);
                seenIds.add(item.seenKey);
                seenRefs.add(ref);
            }
        }

        private void remember(StoredContent stored) {
            contents.computeIfAbsent(key(stored.number(), stored.contentHash()), k -> new ArrayList<>()).add(stored);
        }

        private RawReport raw(Item item, String outcome, UUID messageId) {
            return new RawReport(UUID.randomUUID(), gateway.id(), item.sms, item.receivedAt, now, outcome, messageId);
        }

        /** Writes what is pending: messages, raw reports, seen ids and events, sent together (pipelined). */
        private Uni<Void> flush() {
            List<Uni<Void>> writes = new ArrayList<>();
            if (!newMessages.isEmpty()) {
                writes.add(messages.insertMessages(tx, List.copyOf(newMessages)));
                newMessages.clear();
            }
            if (!raws.isEmpty()) {
                writes.add(messages.insertRaws(tx, List.copyOf(raws)));
                raws.clear();
            }
            if (!seenIds.isEmpty()) {
                writes.add(messages.insertSeenAll(tx, gateway.id(), List.copyOf(seenIds), List.copyOf(seenRefs),
                        now));
                seenIds.clear();
                seenRefs.clear();
            }
            if (!events.isEmpty()) {
                writes.add(outbox.publishAll(tx, List.copyOf(events)).replaceWithVoid());
                events.clear();
            }
            return writes.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : Uni.join().all(writes).andFailFast().replaceWithVoid();
        }
    }

    private static String key(String number, String hash) {
        return number + "\n" + hash;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static boolean sameContent(StoredPart stored, InboundSms part) {
        return java.util.Objects.equals(stored.text(), part.text())
                && java.util.Arrays.equals(stored.payload(), part.payload());
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
