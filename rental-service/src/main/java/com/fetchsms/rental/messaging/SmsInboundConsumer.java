package com.fetchsms.rental.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fetchsms.common.events.EventType;
import com.fetchsms.common.events.RentalMessage;
import com.fetchsms.common.events.SmsInbound;
import com.fetchsms.common.messaging.EventEnvelope;
import com.fetchsms.common.messaging.IdempotentConsumer;
import com.fetchsms.common.metrics.CodeMetrics;
import com.fetchsms.common.outbox.Outbox;
import com.fetchsms.common.purchase.PurchaseWatch;
import com.fetchsms.rental.config.RentalConfig;
import com.fetchsms.rental.domain.Rental;
import com.fetchsms.rental.domain.Sms;
import com.fetchsms.rental.repository.MessageRepository;
import com.fetchsms.rental.repository.RentalRepository;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Stores every SMS received on a rented number during the term, whatever its service (with its body, sender, code and
 * detected service), and publishes {@code rental.message} with the body in the same transaction. Any stored SMS makes
 * the rental {@code active} (no longer cancellable: its body was delivered); a code becomes {@code last_code} if it
 * is the newest one. An SMS on a
 * number no running rental held when the carrier received it is ignored. A stored message with a code is counted once
 * committed ({@code fetchsms_codes_released_total}, {@code fetchsms_code_release_delay_seconds}).
 */
@ApplicationScoped
public class SmsInboundConsumer {

    public static final String CONSUMER = "rental-service.sms-inbound";

    private final IdempotentConsumer consumer;
    private final RentalRepository rentals;
    private final MessageRepository messages;
    private final Outbox outbox;
    private final RentalConfig config;
    private final CodeMetrics codes;
    private final PurchaseWatch watch;

    public SmsInboundConsumer(IdempotentConsumer consumer, RentalRepository rentals, MessageRepository messages,
            Outbox outbox, RentalConfig config, CodeMetrics codes, PurchaseWatch watch) {
        this.consumer = consumer;
        this.rentals = rentals;
        this.messages = messages;
        this.outbox = outbox;
        this.config = config;
        this.codes = codes;
        this.watch = watch;
    }

    /** The code metrics read 0 from the start, before the first code. */
    void registerMetrics(@Observes StartupEvent event) {
        codes.register(CodeMetrics.RENTAL);
    }

    @Incoming("sms-inbound")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return consumer.consumeBatch(CONSUMER, Set.of(EventType.SMS_INBOUND), batch, deliver);
    }

    /**
     * Finds with one statement which numbers of a batch are rented at all (most SMS are for verifications), then
     * applies each SMS on those numbers. The same read, before any transaction, leaves out the SMS on numbers that no
     * rental holds at the time of the read ({@code waiting} or {@code active}): the same test the transaction makes, so
     * a batch of verifications' codes costs this service one query, not a transaction.
     */
    private final IdempotentConsumer.BatchHandler<Set<String>> deliver = new IdempotentConsumer.BatchHandler<>() {
        @Override
        public Uni<List<EventEnvelope>> relevant(SqlClient db, List<EventEnvelope> events) {
            return rentals.rentedAmong(db, numbers(events)).map(rented -> events.stream()
                    .filter(event -> rentedNumber(event, rented))
                    .toList());
        }

        @Override
        public Uni<Set<String>> prepare(SqlConnection tx, List<EventEnvelope> events) {
            return rentals.rentedAmong(tx, numbers(events));
        }

        @Override
        public Uni<Void> apply(SqlConnection tx, EventEnvelope event, Set<String> rented) {
            return rentedNumber(event, rented)
                    ? SmsInboundConsumer.this.apply(tx, event)
                    : Uni.createFrom().voidItem();
        }
    };

    /** Whether the SMS is for one of {@code rented} (an SMS without a number is for none). */
    private static boolean rentedNumber(EventEnvelope event, Set<String> rented) {
        String number = ((SmsInbound) event.payload()).number();
        return number != null && rented.contains(number);
    }

    private static Set<String> numbers(List<EventEnvelope> events) {
        Set<String> numbers = new HashSet<>();
        for (EventEnvelope event : events) {
            SmsInbound sms = (SmsInbound) event.payload();
            if (sms.number() != null) {
                numbers.add(sms.number());
            }
        }
        return numbers;
    }

    Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        SmsInbound sms = (SmsInbound) event.payload();
        if (sms.number() == null || sms.receivedAt() == null) {
            return Uni.createFrom().voidItem();
        }
        return rentals.lockHolder(tx, sms.number(), sms.receivedAt(), config.clockSkew())
                .chain(holder -> holder.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : store(tx, holder.get(), sms, event.id()));
    }

    private Uni<Void> store(SqlConnection tx, Rental rental, SmsInbound sms, String eventId) {
        UUID id = sms.messageId() != null
                ? sms.messageId()
                : UUID.nameUUIDFromBytes(("sms.inbound/" + eventId).getBytes(StandardCharsets.UTF_8));
        String code = blankToNull(sms.code());
        String service = blankToNull(sms.detectedService());
        Sms stored = new Sms(id, rental.id(), sms.sender(), sms.body() == null ? "" : sms.body(), code, service,
                sms.receivedAt());
        return messages.insert(tx, stored).chain(inserted -> {
            if (!inserted) {
                return Uni.createFrom().voidItem(); // the same SMS published again under another event id
            }
            consumer.afterCommit(tx, () -> {
                if (code != null) {
                    codes.released(CodeMetrics.RENTAL, sms.receivedAt());
                }
                watch.changed(rental.id()); // this replica's long polls at once; other replicas' by the event
            });
            boolean newestCode = code != null
                    && (rental.lastCodeAt() == null || !sms.receivedAt().isBefore(rental.lastCodeAt()));
            // any SMS, with a code or not, was delivered to the buyer (its body is readable): no longer cancellable
            String status = Rental.WAITING.equals(rental.status()) ? Rental.ACTIVE : rental.status();
            List<String> used = new ArrayList<>(rental.servicesUsed());
            if (service != null && !used.contains(service)) {
                used.add(service);
            }
            return rentals.updateAfterMessage(tx, rental.id(), status, newestCode ? code : rental.lastCode(),
                    newestCode ? sms.receivedAt() : rental.lastCodeAt(), used)
                    .chain(() -> outbox.publish(tx, new RentalMessage(rental.id(), rental.accountId(), rental.ref(),
                            rental.number(), id, sms.sender(), stored.body(), code, service, sms.detectedServiceName(),
                            sms.receivedAt())))
                    .replaceWithVoid();
        });
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
