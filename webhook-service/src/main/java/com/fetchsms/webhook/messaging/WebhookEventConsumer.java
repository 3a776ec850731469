package com.fetchsms.webhook.messaging;

import java.time.Instant;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fetchsms.common.events.EventType;
import com.fetchsms.common.events.RentalExpired;
import com.fetchsms.common.events.RentalMessage;
import com.fetchsms.common.events.VerificationReceived;
import com.fetchsms.common.messaging.EventEnvelope;
import com.fetchsms.common.messaging.IdempotentConsumer;
import com.fetchsms.webhook.domain.WebhookEvents;
import com.fetchsms.webhook.service.DeliveryQueue;
import com.fetchsms.webhook.service.Dispatcher;
import com.fetchsms.webhook.service.Payloads;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Turns platform events into webhook deliveries, in the consumer's transaction (the delivery rows and the processed
 * event commit together, so an event is queued exactly once): {@code verification.received} and
 * {@code rental.message} → {@code sms.received}, {@code rental.expired} → {@code rental.expired}.
 */
@ApplicationScoped
public class WebhookEventConsumer {

    static final String CONSUMER = "webhook-service.events";
    private static final Set<EventType> TYPES = Set.of(EventType.VERIFICATION_RECEIVED, EventType.RENTAL_MESSAGE,
            EventType.RENTAL_EXPIRED);

    private final IdempotentConsumer consumer;
    private final DeliveryQueue queue;
    private final Dispatcher dispatcher;

    public WebhookEventConsumer(IdempotentConsumer consumer, DeliveryQueue queue, Dispatcher dispatcher) {
        this.consumer = consumer;
        this.queue = queue;
        this.dispatcher = dispatcher;
    }

    @Incoming("webhook-events")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return consumer.consumeBatch(CONSUMER, TYPES, batch, this::apply);
    }

    Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        Instant now = Instant.now();
        Uni<Integer> queued;
        if (event.payload() instanceof VerificationReceived e) {
            queued = queue.fanOut(tx, e.accountId(), WebhookEvents.SMS_RECEIVED, Payloads.smsReceived(e, now));
        } else if (event.payload() instanceof RentalMessage e) {
            queued = queue.fanOut(tx, e.accountId(), WebhookEvents.SMS_RECEIVED, Payloads.smsReceived(e, now));
        } else if (event.payload() instanceof RentalExpired e) {
            queued = queue.fanOut(tx, e.accountId(), WebhookEvents.RENTAL_EXPIRED, Payloads.rentalExpired(e, now));
        } else {
            return Uni.createFrom().voidItem();
        }
        // the deliveries go out as soon as they are committed, not at the dispatcher's next scheduled pass
        return queued.invoke(count -> {
            if (count > 0) {
                consumer.afterCommit(tx, dispatcher::wake);
            }
        }).replaceWithVoid();
    }
}
