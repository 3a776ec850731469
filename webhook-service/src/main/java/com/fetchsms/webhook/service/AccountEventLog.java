package com.fetchsms.webhook.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.common.messaging.EventEnvelope;
import com.fetchsms.webhook.config.EventStreamConfig;
import com.fetchsms.webhook.domain.LoggedEvent;
import com.fetchsms.webhook.domain.SourcedEvent;
import com.fetchsms.webhook.repository.AccountEventRepository;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The accounts' event logs behind {@code GET /v1/events} (decision 0020): each platform event a customer sees on the
 * stream is appended once, keyed by its {@code ce_id}, by whichever comes first: the service's consumer group (in the
 * transaction that queues its webhooks) or, for accounts with a stream open on a replica, that replica's listener.
 * Either appends a whole polled batch with one statement and hands what it appended straight to the open streams once
 * committed, so a live stream sends an event without reading it back. Kept for {@code fetchsms.events.retention}.
 */
@ApplicationScoped
public class AccountEventLog {

    private static final Logger LOG = Logger.getLogger(AccountEventLog.class);

    private final Pool pool;
    private final AccountEventRepository events;
    private final EventStreamService streams;
    private final EventStreamConfig config;

    public AccountEventLog(Pool pool, AccountEventRepository events, EventStreamService streams,
            EventStreamConfig config) {
        this.pool = pool;
        this.events = events;
        this.streams = streams;
        this.config = config;
    }

    /**
     * Appends the stream's form of {@code events} (those the stream carries) in the caller's transaction, with one
     * statement; answers what was appended, by account, to be handed to the accounts' streams ({@link #publish}) once
     * that transaction commits. Events the log holds already are left out.
     */
    public Uni<Map<UUID, List<LoggedEvent>>> append(SqlConnection tx, List<EventEnvelope> events) {
        return this.events.append(tx, streamed(events, account -> true));
    }

    /** Hands events just committed to the log to their accounts' open streams on this replica. */
    public void publish(Map<UUID, List<LoggedEvent>> appended) {
        appended.forEach(streams::offer);
    }

    /**
     * Events heard by this replica's listener: those of accounts with a stream open here are appended (unless a
     * consumer was first) in one transaction of their own, without waiting for the replica whose consumer group has
     * their partitions, and the streams send them. The streams of accounts whose events were in the log already (a
     * consumer group committed them first) read their logs.
     */
    public Uni<Void> heard(List<EventEnvelope> events) {
        List<SourcedEvent> streamed = streamed(events, streams::streaming);
        if (streamed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<UUID, Long> heardPerAccount = streamed.stream()
                .collect(Collectors.groupingBy(e -> e.event().accountId(), Collectors.counting()));
        return pool.withTransaction(tx -> this.events.append(tx, streamed)).invoke(appended -> {
            publish(appended);
            // an account some of whose events a consumer group had appended first: its streams read their log
            heardPerAccount.forEach((account, heard) -> {
                if (appended.getOrDefault(account, List.of()).size() < heard) {
                    streams.wake(account);
                }
            });
        }).replaceWithVoid();
    }

    /** The stream forms of the events the stream carries, of accounts {@code wanted}, each source event once. */
    private static List<SourcedEvent> streamed(List<EventEnvelope> events, Predicate<UUID> wanted) {
        Map<String, SourcedEvent> distinct = new LinkedHashMap<>();
        for (EventEnvelope event : events) {
            Payloads.streamEvent(event.payload()).filter(account -> wanted.test(account.accountId()))
                    .ifPresent(account -> distinct.putIfAbsent(event.id(),
                            new SourcedEvent(account, event.id(), event.time())));
        }
        return new ArrayList<>(distinct.values());
    }

    /** Deletes the events older than the retention (the ids stay taken). */
    @Scheduled(every = "${fetchsms.events.prune-interval:10m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        return prune(Instant.now().minus(config.retention())).invoke(count -> {
            if (count > 0) {
                LOG.debugf("Pruned %d account events older than %s", count, config.retention());
            }
        }).replaceWithVoid().onFailure().recoverWithItem(failure -> {
            LOG.warnf("Could not prune account events, the next pass does: %s", failure.getMessage());
            return null;
        });
    }

    /** Deletes the events written before {@code before}; answers how many. */
    public Uni<Integer> prune(Instant before) {
        return events.prune(pool, before);
    }
}
