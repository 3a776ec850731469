package com.fetchsms.common.tracing;

import java.util.Collection;

import jakarta.inject.Singleton;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.lookup.LookupIfProperty;

/**
 * Keeps finished spans in the process when no OTLP collector is configured, so the local stack and the tests never try
 * to reach one, while trace context is still created and propagated (REST, outbox, Kafka; trace ids in the logs).
 *
 * <p>
 * Quarkus exports over OTLP only when no {@link SpanExporter} bean can be looked up. This bean can be looked up only
 * while the traces endpoint is Quarkus' built-in default ({@value #UNCONFIGURED}, what
 * {@code quarkus.otel.exporter.otlp.traces.endpoint} falls back to when neither it nor
 * {@code quarkus.otel.exporter.otlp.endpoint} is set; Quarkus' exporter treats that literal the same way). Set
 * {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code …_TRACES_ENDPOINT}) and spans are exported there, batched, by
 * Quarkus' own exporter. (A collector on this host: write {@code http://localhost:4317}, without the slash.)
 */
@Singleton
@LookupIfProperty(name = "quarkus.otel.exporter.otlp.traces.endpoint", stringValue = LocalOnlySpanExporter.UNCONFIGURED, lookupIfMissing = true)
public class LocalOnlySpanExporter implements SpanExporter {

    /** Quarkus' default OTLP endpoint, which stands for "not configured". */
    public static final String UNCONFIGURED = "http://localhost:4317/";

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
