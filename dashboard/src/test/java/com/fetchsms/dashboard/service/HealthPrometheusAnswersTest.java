package com.fetchsms.dashboard.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fetchsms.dashboard.domain.PlatformHealth;
import com.fetchsms.dashboard.domain.ServiceStatus;

/** The health page reads Prometheus' query API answers: vectors, matrices, NaN and infinities, empty results, errors. */
class HealthPrometheusAnswersTest {

    @Test
    void aVectorGivesOneSampleOfEachSeriesWithItsLabels() {
        List<PromQlAnswer.Series> series = PromQlAnswer.parse("""
                {"status":"success","data":{"resultType":"vector","result":[
                  {"metric":{"job":"verification-service"},"value":[1765100000.123,"2"]},
                  {"metric":{"job":"catalog-service"},"value":[1765100000.123,"0.5"]}]}}""");
        assertEquals(2, series.size());
        assertEquals(Map.of("job", "verification-service"), series.get(0).labels());
        assertEquals("catalog-service", series.get(1).label("job"));
        assertEquals(2.0, series.get(0).value());
        assertEquals(0.5, series.get(1).value());
        assertEquals(1765100000.123, series.get(1).samples().get(0).time(), 1e-6);
    }

    @Test
    void aMatrixGivesEverySampleInOrder() {
        List<PromQlAnswer.Series> series = PromQlAnswer.parse("""
                {"status":"success","data":{"resultType":"matrix","result":[
                  {"metric":{},"values":[[1765100000,"1"],[1765100030,"3.25"],[1765100060,"0"]]}]}}""");
        assertEquals(1, series.size());
        assertEquals(List.of(1.0, 3.25, 0.0),
                series.get(0).samples().stream().map(PromQlAnswer.Sample::value).toList());
        assertEquals(0.0, series.get(0).value());
    }

    @Test
    void notANumberAndInfinitiesAreReadAsSuch() {
        List<PromQlAnswer.Series> series = PromQlAnswer.parse("""
                {"status":"success","data":{"resultType":"vector","result":[
                  {"metric":{"a":"1"},"value":[1,"NaN"]},{"metric":{"a":"2"},"value":[1,"+Inf"]},
                  {"metric":{"a":"3"},"value":[1,"-Inf"]},{"metric":{"a":"4"},"value":[1,"1e3"]}]}}""");
        assertTrue(Double.isNaN(series.get(0).value()));
        assertEquals(Double.POSITIVE_INFINITY, series.get(1).value());
        assertEquals(Double.NEGATIVE_INFINITY, series.get(2).value());
        assertEquals(1000.0, series.get(3).value());
    }

    @Test
    void anEmptyResultIsNoSeries() {
        assertEquals(List.of(), PromQlAnswer.parse("""
                {"status":"success","data":{"resultType":"vector","result":[]}}"""));
        assertEquals(List.of(), PromQlAnswer.parse("""
                {"status":"success","data":{"resultType":"matrix","result":[]}}"""));
    }

    @Test
    void aScalarIsOneSeriesWithoutLabels() {
        List<PromQlAnswer.Series> series = PromQlAnswer.parse("""
                {"status":"success","data":{"resultType":"scalar","result":[1765100000,"42"]}}""");
        assertEquals(Map.of(), series.get(0).labels());
        assertEquals(42.0, series.get(0).value());
    }

    @Test
    void anErrorAnswerIsRefusedWithPrometheusOwnWords() {
        PromQlAnswer.Refused refused = assertThrows(PromQlAnswer.Refused.class, () -> PromQlAnswer.parse("""
                {"status":"error","errorType":"bad_data","error":"1:6: parse error: unexpected \\"}\\""}"""));
        assertEquals("Prometheus answered an error: bad_data: 1:6: parse error: unexpected \"}\"",
                refused.getMessage());
    }

    @Test
    void somethingElseThanTheApiAnswerIsRefused() {
        assertThrows(PromQlAnswer.Refused.class, () -> PromQlAnswer.parse("<html>Not found</html>"));
        assertThrows(PromQlAnswer.Refused.class, () -> PromQlAnswer.parse("{\"data\":{}}"));
        assertThrows(PromQlAnswer.Refused.class, () -> PromQlAnswer.parse("""
                {"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"many"]}]}}"""));
        assertThrows(PromQlAnswer.Refused.class, () -> PromQlAnswer.parse("""
                {"status":"success","data":{"resultType":"string","result":[1,"x"]}}"""));
    }

    @Test
    void theQueriesSelectTheWorkloadsAndGroupByTheirLabel() {
        PrometheusHealth.Queries q = new PrometheusHealth.Queries("{app_kubernetes_io_part_of=\"fetchsms\"}", "job");
        assertEquals("sum by (job) (up{app_kubernetes_io_part_of=\"fetchsms\"})", q.replicasUp());
        assertEquals("max by (job) (fetchsms_outbox_pending{app_kubernetes_io_part_of=\"fetchsms\"})",
                q.outboxPending());
        assertEquals("histogram_quantile(0.95, sum by (le) (increase("
                + "fetchsms_code_release_delay_seconds_bucket{app_kubernetes_io_part_of=\"fetchsms\"}[5m])))",
                q.timeToCode(0.95));
        assertEquals("sum(max by (job) (fetchsms_outbox_pending))",
                new PrometheusHealth.Queries("", "job").outboxBacklog());
    }

    @Test
    void theAnswersMakeOneRowPerWorkloadAndNoQuantileWithoutCodes() {
        List<PromQlAnswer.Series> none = List.of();
        PlatformHealth health = PrometheusHealth.figures(List.of(
                vector("verification-service", 2, "catalog-service", 1),
                vector("verification-service", 3, "catalog-service", 1),
                vector("verification-service", 7),
                vector("verification-service", 90),
                none,
                vector("verification-service", Double.NaN),
                none,
                scalar(Double.NaN), scalar(Double.NaN), scalar(Double.POSITIVE_INFINITY),
                none, none), "job", Instant.EPOCH, 60);
        ServiceStatus catalog = health.services().get(0);
        ServiceStatus verification = health.services().get(1);
        assertEquals("catalog-service", catalog.name());
        assertTrue(catalog.ready());
        assertEquals(2, verification.replicasUp());
        assertEquals(3, verification.replicas());
        assertEquals(false, verification.ready());
        assertTrue(verification.attention());
        assertEquals(7.0, verification.outboxPending());
        assertEquals(0.0, verification.consumerLag());
        assertEquals(0.0, health.codesLastMinute());
        assertNull(health.timeToCodeP50());
        assertNull(health.timeToCodeP99());
        assertEquals(List.of(), health.codesPerMinute());
        assertNull(health.problem());
        assertTrue(health.fromPrometheus());
    }

    private static List<PromQlAnswer.Series> vector(Object... jobAndValue) {
        List<PromQlAnswer.Series> series = new java.util.ArrayList<>();
        for (int i = 0; i < jobAndValue.length; i += 2) {
            series.add(new PromQlAnswer.Series(Map.of("job", (String) jobAndValue[i]),
                    List.of(new PromQlAnswer.Sample(0, ((Number) jobAndValue[i + 1]).doubleValue()))));
        }
        return series;
    }

    private static List<PromQlAnswer.Series> scalar(double value) {
        return List.of(new PromQlAnswer.Series(Map.of(), List.of(new PromQlAnswer.Sample(0, value))));
    }
}
