package com.fetchsms.webhook.messaging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fetchsms.common.events.EventType;
import com.fetchsms.common.events.RentalExpired;
import com.fetchsms.common.events.RentalMessage;
import com.fetchsms.common.events.VerificationReceived;
import com.fetchsms.common.messaging.EventEnvelope;
import com.fetchsms.common.messaging.IdempotentConsumer;
import com.fetchsms.webhook.domain.AccountWebhook;
import com.fetchsms.webhook.domain.WebhookEvents;
import com.fetchsms.webhook.service.AccountEventLog;
import com.fetchsms.webhook.service.DeliveryQueue;
import com.fetchsms.webhook.service.Dispatcher;
import com.fetchsms.webhook.service.Payloads;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Turns platform events into webhook deliveries and into the accounts' event logs, in the consumer's transaction (the
 * delivery rows, the log entry and the processed event commit together, so an event is queued exactly once):
 * {@code verification.received} and {@code rental.message} → {@code sms.received}, {@code rental.expired} →
 * {@code rental.expired}; for the event stream only, {@code verification.cancelled}, {@code verification.expired},
 * {@code rental.cancelled} and {@code wallet.refunded}. A batch's log entries are written by one statement, which takes the accounts' log
 * counters in account order, so concurrent batches cannot deadlock on them.
 */
@ApplicationScoped
public class WebhookEventConsumer {

    static final String CONSUMER = "webhook-service.events";
    private static final Set<EventType> TYPES = Set.of(EventType.VERIFICATION_RECEIVED, EventType.RENTAL_MESSAGE,
            EventType.RENTAL_EXPIRED, EventType.VERIFICATION_CANCELLED, EventType.VERIFICATION_EXPIRED,
            EventType.RENTAL_CANCELLED, EventType.WALLET_REFUNDED);

    private final IdempotentConsumer consumer;
    private final DeliveryQueue queue;
    private final Dispatcher dispatcher;
    private final AccountEventLog log;

    public WebhookEventConsumer(IdempotentConsumer consumer, DeliveryQueue queue, Dispatcher dispatcher,
            AccountEventLog log) {
        this.consumer = consumer;
        this.queue = queue;
        this.dispatcher = dispatcher;
        this.log = log;
    }

    @Incoming("webhook-events")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return consumer.consumeBatch(CONSUMER, TYPES, batch, handler);
    }

    /**
     * The batch's events go to the accounts' logs with one statement (this replica's streams send them once the
     * transaction commits), and their webhooks to the subscribed endpoints with another.
     */
    private final IdempotentConsumer.BatchHandler<Void> handler = new IdempotentConsumer.BatchHandler<>() {
        @Override
        public Uni<Void> prepare(SqlConnection tx, List<EventEnvelope> events) {
            return log.append(tx, events).invoke(appended -> {
                if (!appended.isEmpty()) {
                    consumer.afterCommit(tx, () -> log.publish(appended));
                }
            }).chain(() -> queue.fanOut(tx, webhooks(events))).invoke(queued -> {
                // the deliveries go out as soon as they are committed, not at the dispatcher's next scheduled pass
                if (queued > 0) {
                    consumer.afterCommit(tx, dispatcher::wake);
                }
            }).replaceWithVoid();
        }

        @Override
        public Uni<Void> apply(SqlConnection tx, EventEnvelope event, Void prepared) {
            return Uni.createFrom().voidItem(); // all done for the batch in prepare
        }
    };

    /** The webhooks of the events that have one, in the batch's order. */
    private static List<AccountWebhook> webhooks(List<EventEnvelope> events) {
        Instant now = Instant.now();
        List<AccountWebhook> webhooks = new ArrayList<>();
        for (EventEnvelope event : events) {
            if (event.payload() instanceof VerificationReceived e) {
                webhooks.add(new AccountWebhook(e.accountId(), WebhookEvents.SMS_RECEIVED,
                        Payloads.smsReceived(e, now)));
            } else if (event.payload() instanceof RentalMessage e) {
                webhooks.add(new AccountWebhook(e.accountId(), WebhookEvents.SMS_RECEIVED,
                        Payloads.smsReceived(e, now)));
            } else if (event.payload() instanceof RentalExpired e) {
                webhooks.add(new AccountWebhook(e.accountId(), WebhookEvents.RENTAL_EXPIRED,
                        Payloads.rentalExpired(e, now)));
            }
        }
        return webhooks;
    }
}
