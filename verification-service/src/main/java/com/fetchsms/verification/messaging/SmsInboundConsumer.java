package com.fetchsms.verification.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fetchsms.common.events.EventType;
import com.fetchsms.common.events.SmsInbound;
import com.fetchsms.common.events.VerificationReceived;
import com.fetchsms.common.messaging.EventEnvelope;
import com.fetchsms.common.messaging.IdempotentConsumer;
import com.fetchsms.common.metrics.CodeMetrics;
import com.fetchsms.common.outbox.Outbox;
import com.fetchsms.common.purchase.PurchaseWatch;
import com.fetchsms.verification.config.VerificationConfig;
import com.fetchsms.verification.domain.Verification;
import com.fetchsms.verification.repository.VerificationRepository;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Releases a code to the buyer: only to a waiting verification of the receiving number whose service equals the
 * SMS's detected service, or to the one of that number and service waiting for another code when the carrier received
 * the SMS after the request (decision 0021), and only if the carrier received it before the window closed. Any other
 * SMS changes nothing (the verification keeps waiting). The event carries the code, never the body. A released code is counted
 * once committed ({@code fetchsms_codes_released_total}, {@code fetchsms_code_release_delay_seconds}).
 */
@ApplicationScoped
public class SmsInboundConsumer {

    public static final String CONSUMER = "verification-service.sms-inbound";

    private final IdempotentConsumer consumer;
    private final VerificationRepository verifications;
    private final Outbox outbox;
    private final VerificationConfig config;
    private final CodeMetrics codes;
    private final PurchaseWatch watch;

    public SmsInboundConsumer(IdempotentConsumer consumer, VerificationRepository verifications, Outbox outbox,
            VerificationConfig config, CodeMetrics codes, PurchaseWatch watch) {
        this.consumer = consumer;
        this.verifications = verifications;
        this.outbox = outbox;
        this.config = config;
        this.codes = codes;
        this.watch = watch;
    }

    /** The code metrics read 0 from the start, before the first code. */
    void registerMetrics(@Observes StartupEvent event) {
        codes.register(CodeMetrics.VERIFICATION);
    }

    @Incoming("sms-inbound")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return consumer.consumeBatch(CONSUMER, Set.of(EventType.SMS_INBOUND), batch, release);
    }

    /**
     * Releases the codes of a batch with one statement ({@link VerificationRepository#receiveAll}), then writes one
     * {@code verification.received} per released code, each continuing the trace of its SMS.
     */
    private final IdempotentConsumer.BatchHandler<Map<String, Verification>> release = new IdempotentConsumer.BatchHandler<>() {
        @Override
        public Uni<Map<String, Verification>> prepare(SqlConnection tx, List<EventEnvelope> events) {
            List<VerificationRepository.Arrival> arrivals = new ArrayList<>();
            for (EventEnvelope event : events) {
                SmsInbound sms = (SmsInbound) event.payload();
                if (sms.detectedService() != null && sms.code() != null && !sms.code().isBlank()
                        && sms.number() != null && sms.receivedAt() != null) {
                    arrivals.add(new VerificationRepository.Arrival(event.id(), sms.number(), sms.detectedService(),
                            sms.code(), sms.sender(), sms.receivedAt()));
                }
            }
            return verifications.receiveAll(tx, arrivals, config.clockSkew());
        }

        @Override
        public Uni<Void> apply(SqlConnection tx, EventEnvelope event, Map<String, Verification> released) {
            Verification v = released.get(event.id());
            if (v == null) {
                return Uni.createFrom().voidItem();
            }
            SmsInbound sms = (SmsInbound) event.payload();
            consumer.afterCommit(tx, () -> {
                codes.released(CodeMetrics.VERIFICATION, sms.receivedAt());
                watch.changed(v.id()); // this replica's long polls at once; other replicas' by the event
            });
            return outbox.publish(tx, new VerificationReceived(v.id(), v.accountId(), v.ref(), v.serviceId(),
                    v.service(), v.serviceName(), v.number(), sms.sender(), sms.code(), sms.receivedAt()))
                    .replaceWithVoid();
        }
    };
}
