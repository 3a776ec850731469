package com.fetchsms.webhook.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fetchsms.common.messaging.EventEnvelope;
import com.fetchsms.common.messaging.IdempotentConsumer;
import com.fetchsms.webhook.service.AccountEventLog;

import io.smallrye.mutiny.Uni;

/**
 * This replica's own reader of the events its streams carry (channel {@code account-events-live}: a consumer group of
 * its own per start, read from the end, nothing committed), so that a stream open here hears an event at once whichever
 * replica's consumer group has its partition: an event of an account with a stream here is appended to the log (unless
 * it is there already) and the streams read it ({@link AccountEventLog#heard}). Events of other accounts are dropped.
 * A failure is logged and skipped: the consumer group appends the event anyway, and the next heartbeat catches the
 * streams up.
 */
@ApplicationScoped
public class AccountEventListener {

    private static final Logger LOG = Logger.getLogger(AccountEventListener.class);

    private final IdempotentConsumer consumer;
    private final AccountEventLog log;

    public AccountEventListener(IdempotentConsumer consumer, AccountEventLog log) {
        this.consumer = consumer;
        this.log = log;
    }

    @Incoming("account-events-live")
    public Uni<Void> heard(Message<String> message) {
        return Uni.createFrom().deferred(() -> {
            EventEnvelope event = consumer.decode(message);
            return event.payload() == null ? Uni.createFrom().voidItem() : log.heard(event);
        }).onFailure().recoverWithItem(failure -> {
            LOG.warnf("This replica's stream listener skipped an event (the consumer group appends it): %s",
                    failure.getMessage());
            return null;
        }).chain(() -> Uni.createFrom().completionStage(message.ack()));
    }
}
