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
 * replica's consumer group has its partition: an event of an account with a stream here, on a partition another
 * replica's consumer holds, is appended to the log (unless it is there already) and sent to the streams
 * ({@link AccountEventLog#heard}). Events on the partitions this replica's own consumers hold ({@link OwnedPartitions})
 * are left to them, which append and send them as fast, so one replica never writes an event twice; events of other
 * accounts are dropped.
 * Each polled batch is applied in one transaction. A failure is logged and skipped: the consumer group appends the
 * events anyway, and the next heartbeat catches the streams up.
 */
@ApplicationScoped
public class AccountEventListener {

    private static final Logger LOG = Logger.getLogger(AccountEventListener.class);

    private final IdempotentConsumer consumer;
    private final AccountEventLog log;
    private final OwnedPartitions partitions;

    public AccountEventListener(IdempotentConsumer consumer, AccountEventLog log, OwnedPartitions partitions) {
        this.consumer = consumer;
        this.log = log;
        this.partitions = partitions;
    }

    @Incoming("account-events-live")
    public Uni<Void> heard(KafkaRecordBatch<String, String> batch) {
        return Uni.createFrom().deferred(() -> {
            List<EventEnvelope> events = new ArrayList<>();
            for (KafkaRecord<String, String> record : batch.getRecords()) {
                if (partitions.owns(record.getTopic(), record.getPartition())) {
                    continue; // this replica's consumer group appends it and hands it to the streams
                }
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
