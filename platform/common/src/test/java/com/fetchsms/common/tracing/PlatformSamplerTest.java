package com.fetchsms.common.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;

class PlatformSamplerTest {

    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final Attributes QUERY = Attributes.of(AttributeKey.stringKey("db.system"), "postgresql");

    private static Context sampledParent() {
        return Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(TRACE, "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault())));
    }

    private static SamplingDecision decide(PlatformSampler sampler, Context parent, SpanKind kind, Attributes a) {
        return sampler.shouldSample(parent, TRACE, "span", kind, a, List.of()).getDecision();
    }

    @Test
    void withAnExporterRequestsAndTheirQueriesAreRecordedButLoneQueriesAreNot() {
        PlatformSampler sampler = new PlatformSampler(true);

        assertEquals(SamplingDecision.RECORD_AND_SAMPLE, decide(sampler, Context.root(), SpanKind.SERVER,
                Attributes.empty()));
        assertEquals(SamplingDecision.RECORD_AND_SAMPLE, decide(sampler, sampledParent(), SpanKind.CLIENT, QUERY));
        assertEquals(SamplingDecision.DROP, decide(sampler, Context.root(), SpanKind.CLIENT, QUERY));
    }

    @Test
    void withoutAnExporterNothingIsRecordedEvenUnderASampledParent() {
        PlatformSampler sampler = new PlatformSampler(false);

        assertEquals(SamplingDecision.DROP, decide(sampler, Context.root(), SpanKind.SERVER, Attributes.empty()));
        assertEquals(SamplingDecision.DROP, decide(sampler, sampledParent(), SpanKind.SERVER, Attributes.empty()));
        assertEquals(SamplingDecision.DROP, decide(sampler, sampledParent(), SpanKind.CONSUMER, Attributes.empty()));
    }
}
