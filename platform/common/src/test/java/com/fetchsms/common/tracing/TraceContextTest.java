package com.fetchsms.common.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

class TraceContextTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    @Test
    void outsideATraceThereIsNothingToKeep() {
        TraceContext none = TraceContext.current();
        assertTrue(none.isEmpty());
        assertNull(none.traceparent());
        assertFalse(Span.fromContext(none.toContext()).getSpanContext().isValid());
    }

    @Test
    void theCurrentSpanIsKeptAsW3cHeadersAndRestoredAsARemoteParent() {
        SpanContext span = SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(),
                TraceState.builder().put("vendor", "v1").build());
        TraceContext kept;
        try (Scope ignored = Context.root().with(Span.wrap(span)).makeCurrent()) {
            kept = TraceContext.current();
        }
        assertEquals("00-" + TRACE + "-" + SPAN + "-01", kept.traceparent());
        assertEquals("vendor=v1", kept.tracestate());
        assertEquals(TRACE, kept.traceId());

        SpanContext restored = Span.fromContext(kept.toContext()).getSpanContext();
        assertTrue(restored.isValid() && restored.isRemote() && restored.isSampled());
        assertEquals(TRACE, restored.getTraceId());
        assertEquals(SPAN, restored.getSpanId());
        assertEquals("v1", restored.getTraceState().get("vendor"));
    }

    @Test
    void aMalformedStoredHeaderStartsAFreshTrace() {
        TraceContext garbage = new TraceContext("not-a-traceparent", null);
        assertFalse(Span.fromContext(garbage.toContext()).getSpanContext().isValid());
    }
}
