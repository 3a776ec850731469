package com.fetchsms.common.tracing;

import java.util.List;

import jakarta.inject.Singleton;

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
 */
@Singleton
public class PlatformSampler implements Sampler {

    private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
    private static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");

    private final Sampler delegate = Sampler.parentBased(Sampler.alwaysOn());

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
            Attributes attributes, List<LinkData> parentLinks) {
        if (spanKind == SpanKind.CLIENT && !Span.fromContext(parentContext).getSpanContext().isValid()
                && (attributes.get(DB_SYSTEM) != null || attributes.get(DB_SYSTEM_NAME) != null)) {
            return SamplingResult.drop();
        }
        return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    @Override
    public String getDescription() {
        return "FetchSmsSampler{parentBased(alwaysOn), no root database spans}";
    }
}
