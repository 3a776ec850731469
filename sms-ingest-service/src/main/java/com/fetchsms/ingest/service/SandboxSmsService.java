package com.fetchsms.ingest.service;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.phone.PhoneNumbers;
import com.fetchsms.ingest.config.IngestConfig;
import com.fetchsms.ingest.domain.Gateway;
import com.fetchsms.ingest.domain.InboundSms;
import com.fetchsms.ingest.domain.SimulatedSms;
import com.fetchsms.ingest.repository.MessageRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The sandbox's simulated SMS: one SMS to a sandbox number, reported as the sandbox's gateway ({@link Gateway#SANDBOX})
 * through the same {@link IngestService} path as a modem gateway's (raw report, de-duplication, service detection,
 * code extraction, {@code sms.inbound} through the outbox, received at the time the route took it). The pipeline
 * refuses every number the inventory copy does not show as a sandbox number (422 naming {@code to}).
 */
@ApplicationScoped
public class SandboxSmsService {

    /** The adapter of a simulated SMS in the raw reports and the metrics. */
    public static final String ADAPTER = "sandbox";

    private final IngestService ingest;
    private final MessageRepository messages;
    private final MessageAnalyzer analyzer;
    private final Pool pool;
    private final IngestConfig config;

    public SandboxSmsService(IngestService ingest, MessageRepository messages, MessageAnalyzer analyzer, Pool pool,
            IngestConfig config) {
        this.ingest = ingest;
        this.messages = messages;
        this.analyzer = analyzer;
        this.pool = pool;
        this.config = config;
    }

    /**
     * Delivers {@code text} from {@code from} (the configured default sender when absent or blank) to the sandbox
     * number {@code to} (any common US spelling). 422 naming the field for a {@code to} that is no US number or no
     * sandbox number, a {@code from} or {@code text} too long.
     */
    public Uni<SimulatedSms> deliver(String to, String from, String text) {
        String number = PhoneNumbers.toE164(to).orElseThrow(() -> ApiException
                .unprocessable("'to' must be a US phone number, e.g. +12015550123 or (201) 555-0123"));
        String sender = from == null || from.isBlank() ? config.sandbox().defaultSender() : from;
        InboundSms sms = ingest.validate(InboundSms.text(ADAPTER, null, false, number, sender, text, null));
        return ingest.ingest(Gateway.SANDBOX, sms)
                .chain(result -> messages.findMessage(pool, result.id()).map(found -> found
                        .map(stored -> new SimulatedSms(
                                stored.id(), result.outcome(), result.duplicate(), stored.number(), stored.sender(),
                                stored.body(), stored.detectedService(), analyzer.serviceName(stored.detectedService()),
                                stored.code(), stored.receivedAt()))
                        .orElseThrow(() -> new IllegalStateException("Message " + result.id() + " not stored"))));
    }
}
