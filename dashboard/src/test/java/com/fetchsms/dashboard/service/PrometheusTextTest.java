package com.fetchsms.dashboard.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The text that every service's /q/metrics answers, read as Prometheus reads it. */
class PrometheusTextTest {

    @Test
    void samplesWithAndWithoutLabelsAreRead() {
        List<PrometheusText.Sample> samples = PrometheusText.parse("""
                # HELP fetchsms_outbox_pending rows
                # TYPE fetchsms_outbox_pending gauge
                fetchsms_outbox_pending{service="wallet-service"} 3.0
                process_uptime_seconds 12.5
                fetchsms_code_release_delay_seconds_bucket{product="verification",le="+Inf"} 7.0
                """);
        assertEquals(3, samples.size());
        assertEquals(new PrometheusText.Sample("fetchsms_outbox_pending", Map.of("service", "wallet-service"), 3.0),
                samples.get(0));
        assertEquals(12.5, samples.get(1).value());
        assertEquals("+Inf", samples.get(2).labels().get("le"));
    }

    @Test
    void escapedQuotesAndCommasInLabelValuesStayInTheValue() {
        PrometheusText.Sample sample = PrometheusText.line("m{a=\"x\\\"y,z\",b=\"2\"} 1");
        assertEquals(Map.of("a", "x\"y,z", "b", "2"), sample.labels());
    }

    @Test
    void specialValuesAndTimestampsAreUnderstood() {
        assertTrue(Double.isNaN(PrometheusText.line("m NaN").value()));
        assertEquals(Double.POSITIVE_INFINITY, PrometheusText.line("m +Inf").value());
        assertEquals(4.0, PrometheusText.line("m{a=\"b\"} 4 1700000000000").value());
    }

    @Test
    void malformedLinesAreSkipped() {
        assertNull(PrometheusText.line("m{a=\"b\" 4"));
        assertNull(PrometheusText.line("m{a=b} 4"));
        assertNull(PrometheusText.line("m four"));
        assertNull(PrometheusText.line("lonely"));
        assertTrue(PrometheusText.parse("garbage\n{}\n").isEmpty());
    }
}
