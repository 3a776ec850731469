package com.fetchsms.webhook.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.metrics.PushMetrics;
import com.fetchsms.webhook.config.EventStreamConfig;
import com.fetchsms.webhook.domain.LoggedEvent;
import com.fetchsms.webhook.domain.StreamAdmission;
import com.fetchsms.webhook.domain.StreamMessage;
import com.fetchsms.webhook.repository.AccountEventRepository;
import com.fetchsms.webhook.repository.StreamSlotRepository;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The open account streams of this replica ({@code GET /v1/events}, decision 0020). A stream sends the account's events
 * in id order, each once: the events this replica has just committed to the log (by its consumer, or heard by its
 * listener of every replica's events) are offered to it and sent at once when they follow what it sent; otherwise it
 * reads {@code seq > last sent} from the log — on a gap, when woken for events another writer committed, and at a
 * heartbeat when the account's counter is past what it has seen (a wake-up that was missed). Each event written at
 * its source after the stream opened counts in {@code fetchsms_push_delay_seconds{channel="event_stream"}}. Idle, a stream is an
 * entry in a map: no thread, no timer of its own, no database connection; one periodic task sends every stream its
 * heartbeat.
 */
@ApplicationScoped
public class EventStreamService {

    private static final Logger LOG = Logger.getLogger(EventStreamService.class);
    static final String HEARTBEAT = " heartbeat";

    private final Pool pool;
    private final AccountEventRepository events;
    private final StreamSlotRepository slots;
    private final EventStreamConfig config;
    private final Map<UUID, Set<Stream>> byAccount = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final PushMetrics push;

    public EventStreamService(Pool pool, AccountEventRepository events, StreamSlotRepository slots,
            EventStreamConfig config, MeterRegistry registry, PushMetrics push) {
        this.pool = pool;
        this.push = push;
        this.events = events;
        this.slots = slots;
        this.config = config;
        Gauge.builder("fetchsms.events.streams", open, AtomicInteger::get)
                .description("Account event streams open on this replica").register(registry);
    }

    /**
     * Lets a stream of the account in: checks {@code Last-Event-ID} (a non-negative integer, else 400), takes one of
     * the account's slots (429 beyond {@code max-streams-per-account} over every replica) and finds where the stream
     * starts.
     */
    public Uni<StreamAdmission> admit(UUID accountId, String lastEventId) {
        Long resume = parseLastEventId(lastEventId);
        UUID slot = UUID.randomUUID();
        return pool.withTransaction(tx -> slots.claim(tx, slot, accountId, config.maxStreamsPerAccount(), lease())
                .chain(taken -> {
                    if (!taken) {
                        return Uni.createFrom().failure(ApiException.tooManyRequests("An account may have at most "
                                + config.maxStreamsPerAccount() + " open event streams; close one first",
                                config.reconnectDelay()));
                    }
                    return resume != null ? Uni.createFrom().item(resume) : events.newest(tx, accountId);
                }))
                .map(after -> new StreamAdmission(slot, accountId, after));
    }

    static Long parseLastEventId(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ApiException.badRequest("Header 'Last-Event-ID' must be the id of an event of this stream (a "
                    + "non-negative integer)");
        }
        return Long.parseLong(value);
    }

    /**
     * The stream of an admitted connection: the reconnection delay first (at once, so the client knows it is
     * connected), then the account's events after {@link StreamAdmission#after()}, then the new ones as they are
     * committed, with a heartbeat comment in between. Ends when the client goes (the slot is freed), or when the
     * client reads too slowly ({@code max-queued}) or the log cannot be read: the client reconnects and resumes.
     */
    public Multi<StreamMessage> open(StreamAdmission admission) {
        AtomicReference<Stream> opened = new AtomicReference<>();
        return Multi.createFrom().<StreamMessage>emitter(emitter -> {
            Stream stream = new Stream(admission, emitter);
            opened.set(stream);
            byAccount.compute(admission.accountId(), (account, set) -> {
                Set<Stream> streams = set == null ? ConcurrentHashMap.newKeySet() : set;
                streams.add(stream);
                return streams;
            });
            open.incrementAndGet();
            emitter.onTermination(() -> close(stream));
            if (emitter.isCancelled()) {
                close(stream); // the client went before the callback was in place
                return;
            }
            stream.send(StreamMessage.retry(config.reconnectDelay().toMillis(), " connected"));
            // anything committed after the admission's read, whose wake-up came before this registration
            stream.wake();
        }, BackPressureStrategy.BUFFER).onItem().invoke(taken -> opened.get().passed());
    }

    /** Whether this replica has an open stream of the account. */
    public boolean streaming(UUID accountId) {
        return byAccount.containsKey(accountId);
    }

    /**
     * Events of the account were just committed to its log (in id order): its streams here send them without reading
     * them back when they follow what each has sent, and read the log otherwise.
     */
    public void offer(UUID accountId, List<LoggedEvent> committed) {
        Set<Stream> streams = byAccount.get(accountId);
        if (streams != null) {
            streams.forEach(stream -> stream.offer(committed));
        }
    }

    /** An event of the account was committed to its log: its streams here read it. */
    public void wake(UUID accountId) {
        Set<Stream> streams = byAccount.get(accountId);
        if (streams != null) {
            streams.forEach(Stream::wake);
        }
    }

    private void close(Stream stream) {
        if (!stream.close()) {
            return;
        }
        byAccount.computeIfPresent(stream.admission.accountId(), (account, set) -> {
            set.remove(stream);
            return set.isEmpty() ? null : set;
        });
        open.decrementAndGet();
        slots.release(pool, stream.admission.slot()).subscribe().with(ignored -> {
        }, failure -> LOG.warnf("Could not free the slot of a closed event stream (its lease frees it): %s",
                failure.getMessage()));
    }

    /** A stream's slot is leased for four heartbeats, renewed at each. */
    Duration lease() {
        return config.heartbeat().multipliedBy(4);
    }

    /**
     * Every heartbeat: a comment line to every stream; then, with one statement each for all of this replica's
     * streams, their slots' leases renewed and the accounts' counters compared with what each stream has seen (a
     * stream behind reads its log: the safety net under the wake-ups).
     */
    @Scheduled(every = "${fetchsms.events.heartbeat:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> heartbeat() {
        List<Stream> all = new ArrayList<>();
        byAccount.values().forEach(all::addAll);
        if (all.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        all.forEach(stream -> stream.send(StreamMessage.comment(HEARTBEAT)));
        List<UUID> slotIds = all.stream().map(s -> s.admission.slot()).toList();
        List<UUID> accounts = new ArrayList<>(byAccount.keySet());
        return slots.renew(pool, slotIds, lease())
                .chain(() -> events.newest(pool, accounts))
                .invoke(newest -> all.forEach(stream -> {
                    Long seq = newest.get(stream.admission.accountId());
                    if (seq != null) {
                        stream.catchUp(seq);
                    }
                }))
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Event stream heartbeat could not reach the database: %s", failure.getMessage());
                    return null;
                });
    }

    /**
     * One open stream. Its events are read by one read at a time (a wake-up during a read reads again after it), so
     * they go out in id order, each once. A replay is read a page at a time, the next page once the client has taken
     * the previous one.
     */
    private final class Stream {
        final StreamAdmission admission;
        private final MultiEmitter<? super StreamMessage> emitter;
        /** The id of the last event sent; only the read in progress changes it. */
        private volatile long sent;
        /** The account's counter as the last heartbeat saw it, once a read was asked for it. */
        private volatile long covered;
        private boolean reading;
        private boolean again;
        private boolean waitingForClient;
        private boolean closed;
        /** Messages handed to the emitter that the client's connection has not taken yet. */
        private int queued;
        private final Instant opened = Instant.now();

        Stream(StreamAdmission admission, MultiEmitter<? super StreamMessage> emitter) {
            this.admission = admission;
            this.emitter = emitter;
            this.sent = admission.after();
            this.covered = admission.after();
        }

        /** Queues a message; a client that leaves too many unread is let go (it resumes from its last id). */
        void send(StreamMessage message) {
            boolean tooSlow;
            synchronized (this) {
                if (closed) {
                    return;
                }
                tooSlow = queued >= config.maxQueued();
                if (!tooSlow) {
                    queued++;
                }
            }
            if (tooSlow) {
                LOG.debugf("An event stream of %s reads too slowly: closed (the client resumes)",
                        admission.accountId());
                emitter.complete();
                return;
            }
            emitter.emit(message);
        }

        /** The connection took a message: when a replay page waits for that, the next page is read. */
        void passed() {
            boolean readNow;
            synchronized (this) {
                queued--;
                readNow = queued == 0 && waitingForClient && !closed;
                if (readNow) {
                    waitingForClient = false;
                }
            }
            if (readNow) {
                read();
            }
        }

        void wake() {
            if (take()) {
                read();
            }
        }

        /**
         * Takes the turn to send (one read or offer at a time); when one is under way, it reads again after itself and
         * false is answered.
         */
        private synchronized boolean take() {
            if (closed) {
                return false;
            }
            if (reading) {
                again = true;
                return false;
            }
            reading = true;
            return true;
        }

        /**
         * Events just committed, in id order: sent at once when they follow what was sent, without a read; a gap (an
         * event committed by another writer, not offered here yet) is filled by reading the log.
         */
        void offer(List<LoggedEvent> committed) {
            if (!take()) {
                return;
            }
            for (LoggedEvent event : committed) {
                if (event.seq() <= sent) {
                    continue;
                }
                if (event.seq() != sent + 1) {
                    read();
                    return;
                }
                sendEvent(event);
            }
            finish(false);
        }

        /** The heartbeat saw the account's counter at {@code seq}: a stream that has not seen that far reads. */
        void catchUp(long seq) {
            if (seq > sent && seq > covered) {
                covered = seq;
                wake();
            }
        }

        private void read() {
            synchronized (this) {
                again = false;
            }
            events.after(pool, admission.accountId(), sent, config.pageSize()).subscribe().with(this::afterRead,
                    failure -> {
                        LOG.warnf("An event stream of %s could not read its log, closed (the client resumes): %s",
                                admission.accountId(), failure.getMessage());
                        emitter.complete();
                    });
        }

        private void afterRead(List<LoggedEvent> page) {
            for (LoggedEvent event : page) {
                if (event.seq() > sent) {
                    sendEvent(event);
                }
            }
            finish(page.size() == config.pageSize());
        }

        /** Sends an event; one written at its source after this stream opened counts in the push delay. */
        private void sendEvent(LoggedEvent event) {
            send(StreamMessage.event(event));
            sent = event.seq();
            if (event.occurredAt() != null && event.occurredAt().isAfter(opened)) {
                push.pushed(PushMetrics.Channel.EVENT_STREAM, Duration.between(event.occurredAt(), Instant.now()));
            }
        }

        /**
         * Ends a read or an offer: the next page when {@code pageFull} (once the client has taken this one), another
         * read when a wake-up came meanwhile, else the turn is given up.
         */
        private void finish(boolean pageFull) {
            boolean readNow = false;
            synchronized (this) {
                if (closed) {
                    reading = false;
                } else if (pageFull) {
                    // more in the log: the next page once the client has taken this one
                    if (queued == 0) {
                        readNow = true;
                    } else {
                        waitingForClient = true;
                    }
                } else if (again) {
                    readNow = true;
                } else {
                    reading = false;
                }
            }
            if (readNow) {
                read();
            }
        }

        /** Marks the stream closed; false when it was already. */
        synchronized boolean close() {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        }
    }
}
