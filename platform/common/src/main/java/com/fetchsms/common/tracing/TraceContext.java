package com.fetchsms.common.tracing;

import java.util.HashMap;
import java.util.Map;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The W3C trace context ({@code traceparent}, {@code tracestate}) of an outbox row: captured when the row is written,
 * turned back into an OpenTelemetry {@link Context} when the relay publishes it. The names are the CloudEvents
 * distributed-tracing extension's, which is also what the Kafka connector reads on the consumer side.
 *
 * @param traceparent e.g. {@code 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}; null outside any trace
 * @param tracestate vendor entries, usually null
 */
public record TraceContext(String traceparent, String tracestate) {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private static final TraceContext NONE = new TraceContext(null, null);

    /** The trace context of the current span (the request or event being handled); empty when there is none. */
    public static TraceContext current() {
        Map<String, String> carrier = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
        String traceparent = carrier.get(TRACEPARENT);
        return traceparent == null ? NONE : new TraceContext(traceparent, blankToNull(carrier.get(TRACESTATE)));
    }

    public boolean isEmpty() {
        return traceparent == null;
    }

    /** The context to continue: a remote parent carrying this trace id and span id; the root context when empty. */
    public Context toContext() {
        if (isEmpty()) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), this, Getter.INSTANCE);
    }

    /** The trace id (32 hex digits) of a {@code traceparent}, or null. */
    public String traceId() {
        return traceparent == null || traceparent.length() < 35 ? null : traceparent.substring(3, 35);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private enum Getter implements TextMapGetter<TraceContext> {
        INSTANCE;

        @Override
        public Iterable<String> keys(TraceContext carrier) {
            return java.util.List.of(TRACEPARENT, TRACESTATE);
        }

        @Override
        public String get(TraceContext carrier, String key) {
            if (carrier == null) {
                return null;
            }
            return switch (key) {
                case TRACEPARENT -> carrier.traceparent();
                case TRACESTATE -> carrier.tracestate();
                default -> null;
            };
        }
    }
}
