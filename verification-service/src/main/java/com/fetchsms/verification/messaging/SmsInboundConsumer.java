package com.fetchsms.verification.messaging;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fetchsms.common.events.EventType;
import com.fetchsms.common.events.SmsInbound;
import com.fetchsms.common.events.VerificationReceived;
import com.fetchsms.common.messaging.EventEnvelope;
import com.fetchsms.common.messaging.IdempotentConsumer;
import com.fetchsms.common.outbox.Outbox;
import com.fetchsms.verification.config.VerificationConfig;
import com.fetchsms.verification.repository.VerificationRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Releases a code to the buyer: only to a waiting verification of the receiving number whose service equals the
 * SMS's detected service, and only if the carrier received it before the window closed. Any other SMS changes
 * nothing (the verification keeps waiting). The event carries the code, never the body.
 */
@ApplicationScoped
public class SmsInboundConsumer {

    static final String CONSUMER = "verification-service.sms-inbound";

    private final IdempotentConsumer consumer;
    private final VerificationRepository verifications;
    private final Outbox outbox;
    private final VerificationConfig config;

    public SmsInboundConsumer(IdempotentConsumer consumer, VerificationRepository verifications, Outbox outbox,
            VerificationConfig config) {
        this.consumer = consumer;
        this.verifications = verifications;
        this.outbox = outbox;
        this.config = config;
    }

    @Incoming("sms-inbound")
    public Uni<Void> consume(Message<String> message) {
        return consumer.consume(CONSUMER, Set.of(EventType.SMS_INBOUND), message, this::apply);
    }

    Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        SmsInbound sms = (SmsInbound) event.payload();
        if (sms.detectedService() == null || sms.code() == null || sms.code().isBlank()) {
            return Uni.createFrom().voidItem();
        }
        return verifications.receive(tx, sms.number(), sms.detectedService(), sms.code(), sms.sender(),
                sms.receivedAt(), config.clockSkew()).chain(
                        released -> released.isEmpty()
                                ? Uni.createFrom().voidItem()
                                : outbox.publish(tx, new VerificationReceived(released.get().id(),
                                        released.get().accountId(),
                                        released.get().ref(), released.get().serviceId(), released.get().service(),
                                        released.get().serviceName(), released.get().number(), sms.sender(), sms.code(),
                                        sms.receivedAt())).replaceWithVoid());
    }
}
