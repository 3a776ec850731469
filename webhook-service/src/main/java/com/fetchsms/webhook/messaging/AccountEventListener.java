package com.fetchsms.webhook.messaging;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fetchsms.common.messaging.EventEnvelope;
import com.fetchsms.common.messaging.IdempotentConsumer;
import com.fetchsms.common.messaging.InvalidEventException;
import com.fetchsms.webhook.service.AccountEventLog;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

/**
 * This replica's own reader of the events its streams carry (channel {@code account-events-live}: a consumer group of
 * its own per start, read from the end, nothing committed), so that a stream open here hears an event at once whichever
 * replica's consumer group has its partition: an event of an account with a stream here is appended to the log (unless
 * it is there already) and the streams read it ({@link AccountEventLog#heard}). Events of other accounts are dropped.
 * Each polled batch is applied in one transaction. A failure is logged and skipped: the consumer group appends the
 * events anyway, and the next heartbeat catches the streams up.
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
    public Uni<Void> heard(KafkaRecordBatch<String, String> batch) {
        return Uni.createFrom().deferred(() -> {
            List<EventEnvelope> events = new ArrayList<>();
            for (KafkaRecord<String, String> record : batch.getRecords()) {
                try {
                    EventEnvelope event = consumer.decode(record);
                    if (event.payload() != null) {
                        events.add(event);
                    }
                } catch (InvalidEventException unreadable) {
                    // the consumer group dead-letters it; a stream has nothing to send for it
                    LOG.debugf("This replica's stream listener skipped an unreadable event: %s",
                            unreadable.getMessage());
                }
            }
            return log.heard(events);
        }).onFailure().recoverWithItem(failure -> {
            LOG.warnf("This replica's stream listener skipped a batch of events (the consumer group appends them): %s",
                    failure.getMessage());
            return null;
        }).chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }
}
