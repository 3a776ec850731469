package com.fetchsms.common.tracing;

import java.util.List;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

/**
 * Parent-based, always on (the OpenTelemetry default), except that a database query outside any trace does not start
 * one: the outbox relay, the metrics refresh and the scheduled jobs query PostgreSQL every second or so, and each would
 * otherwise be a trace of its own. Queries made while handling a request or an event stay in that trace. Quarkus still
 * drops its own {@code /q/…} endpoints on top of this sampler.
 *
 * <p>
 * When no OTLP endpoint is configured ({@link LocalOnlySpanExporter} in effect), nothing would ever read a span, so
 * none is recorded: every span is sampled out. Trace context is still created and propagated (REST, the outbox, Kafka)
 * with the W3C "sampled" flag cleared, and trace ids still appear in the logs; recording spans only to drop them cost
 * several per cent of each service's CPU under load (docs/performance.md).
 */
@Singleton
public class PlatformSampler implements Sampler {

    private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
    private static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");

    private final boolean exporting;
    private final Sampler delegate = Sampler.parentBased(Sampler.alwaysOn());

    public PlatformSampler() {
        this(!LocalOnlySpanExporter.UNCONFIGURED.equals(ConfigProvider.getConfig()
                .getOptionalValue("quarkus.otel.exporter.otlp.traces.endpoint", String.class)
                .orElse(LocalOnlySpanExporter.UNCONFIGURED)));
    }

    PlatformSampler(boolean exporting) {
        this.exporting = exporting;
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
            Attributes attributes, List<LinkData> parentLinks) {
        if (!exporting) {
            return SamplingResult.drop();
        }
        if (spanKind == SpanKind.CLIENT && !Span.fromContext(parentContext).getSpanContext().isValid()
                && (attributes.get(DB_SYSTEM) != null || attributes.get(DB_SYSTEM_NAME) != null)) {
            return SamplingResult.drop();
        }
        return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    @Override
    public String getDescription() {
        return exporting
                ? "FetchSmsSampler{parentBased(alwaysOn), no root database spans}"
                : "FetchSmsSampler{off: no span exporter}";
    }
}
