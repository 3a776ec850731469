package com.fetchsms.webhook.service;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.common.messaging.EventEnvelope;
import com.fetchsms.webhook.config.EventStreamConfig;
import com.fetchsms.webhook.domain.AccountEvent;
import com.fetchsms.webhook.repository.AccountEventRepository;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The accounts' event logs behind {@code GET /v1/events} (decision 0020): each platform event a customer sees on the
 * stream is appended once, keyed by its {@code ce_id}, by whichever comes first: the service's consumer group (in the
 * transaction that queues its webhooks) or, for accounts with a stream open on a replica, that replica's listener. Kept
 * for {@code fetchsms.events.retention}.
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
     * Appends the stream's form of {@code event} in the caller's transaction; answers the account when it was appended
     * now (its streams are to be woken once that transaction commits), empty when the stream does not carry the event
     * or the log holds it already.
     */
    public Uni<Optional<UUID>> append(SqlConnection tx, EventEnvelope event) {
        Optional<AccountEvent> streamed = Payloads.streamEvent(event.payload());
        if (streamed.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        AccountEvent account = streamed.get();
        return events.append(tx, account, event.id())
                .map(appended -> appended ? Optional.of(account.accountId()) : Optional.empty());
    }

    /**
     * An event heard by this replica's listener: when its account has a stream open here, it is appended (unless a
     * consumer was first) in a transaction of its own, without waiting for the replica whose consumer group has the
     * event's partition, and the streams read it.
     */
    public Uni<Void> heard(EventEnvelope event) {
        Optional<AccountEvent> streamed = Payloads.streamEvent(event.payload());
        if (streamed.isEmpty() || !streams.streaming(streamed.get().accountId())) {
            return Uni.createFrom().voidItem();
        }
        AccountEvent account = streamed.get();
        // woken whether this transaction appended it or found it appended by another replica's consumer
        return pool.withTransaction(tx -> events.append(tx, account, event.id()))
                .invoke(appended -> streams.wake(account.accountId()))
                .replaceWithVoid();
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
