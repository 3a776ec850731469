package com.fetchsms.dashboard.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The operators' health page drawn from a real Prometheus that scrapes two live replicas of verification-service (and
 * a third that is down) and one of catalog-service: every replica counted, aggregated per workload.
 */
@QuarkusTest
@TestProfile(WithPrometheus.class)
@WithTestResource(FakeApi.class)
class HealthFromPrometheusTest {

    private static final Duration SCRAPED = Duration.ofSeconds(40);

    @BeforeEach
    void signedInOperator() {
        FakeApi.reset();
    }

    @Test
    void replicasUpOutboxesAndLagAreAggregatedPerWorkload() {
        serveCodes(0, 0, 0);
        Awaitility.await("the page shows both workloads as Prometheus scraped them").atMost(SCRAPED)
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    String page = page();
                    // verification-service: two replicas of three up; one outbox table seen by both (4 waiting, the
                    // oldest 13 s by the later reading); their consumers' lag summed (5 + 3; NaN left out).
                    assertEquals("2 of 3 4.0 13.0 s 0.0 8.0", row(page, RealPrometheus.VERIFICATION), page);
                    assertEquals("1 of 1 2.0 1.0 s 1.0 0.0", row(page, RealPrometheus.CATALOG), page);
                });
        String page = page();
        assertTrue(page.contains("<tr class=\"attention\"><th scope=\"row\">verification-service</th>"),
                "a replica down needs attention");
        assertTrue(page.contains("<tr class=\"attention\"><th scope=\"row\">catalog-service</th>"),
                "a parked event needs attention");
        assertFalse(page.contains(RealPrometheus.OTHER), "only the FetchSMS workloads are shown");
        assertTrue(page.contains("Events waiting in outboxes (max 6.0)"), "the backlog is summed over services");
        assertTrue(page.contains("From Prometheus, every replica it scrapes, per workload."));
    }

    @Test
    void timeToCodePercentilesAndCodesPerMinuteComeFromEveryReplicasHistogram() {
        serveCodes(0, 0, 0);
        // Ten samples without codes from each replica first: Prometheus extrapolates an increase to its window's
        // ends by at most about one scrape interval, a tenth of what it saw.
        Awaitility.await("Prometheus has scraped both replicas without codes ten times").atMost(SCRAPED)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> prometheus("count(count_over_time(fetchsms_codes_released_total"
                        + "{job=\"verification-service\"}[1m]) >= 10 and fetchsms_codes_released_total == 0)")
                        .contains("\"2\""));
        // 30 codes: 10 within 2 s (on the first replica), 20 within 5 s (10 on each).
        serveCodes(10, 10, 10);
        Awaitility.await("the page shows the codes").atMost(SCRAPED).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    String page = page();
                    double perMinute = Double.parseDouble(figure(page, "codes-per-minute"));
                    assertTrue(perMinute >= 30 && perMinute <= 40, "codes in the last minute: " + perMinute);
                    for (String p : new String[]{"p50", "p95", "p99"}) {
                        String shown = figure(page, "time-to-code-" + p);
                        assertTrue(shown.endsWith(" s"), p + ": " + shown);
                        double seconds = Double.parseDouble(shown.substring(0, shown.length() - 2));
                        assertTrue(seconds >= 2.0 && seconds <= 5.0, p + " within the 2–5 s bucket: " + shown);
                    }
                });
        String page = page();
        double p50 = Double.parseDouble(figure(page, "time-to-code-p50").replace(" s", ""));
        double p99 = Double.parseDouble(figure(page, "time-to-code-p99").replace(" s", ""));
        assertTrue(p50 < 3.5 && p99 > 4.5, "p50 " + p50 + " near 2.75 s, p99 " + p99 + " near 4.96 s");
    }

    /** The three replicas' metrics: the outboxes and consumers fixed, the codes as given (verification-service). */
    private static void serveCodes(long firstWithin2s, long firstWithin5s, long secondWithin5s) {
        RealPrometheus.serve("verification-1",
                replica(RealPrometheus.VERIFICATION, 4, 12.5, 0, 5, firstWithin2s, firstWithin5s));
        RealPrometheus.serve("verification-2", replica(RealPrometheus.VERIFICATION, 4, 13, 0, 3, 0, secondWithin5s));
        RealPrometheus.serve("catalog-1", replica(RealPrometheus.CATALOG, 2, 1, 1, 0, 0, 0));
    }

    /** A replica's /q/metrics as Micrometer writes it (the metrics the health page reads, nothing else). */
    private static String replica(String service, double pending, double outboxLag, double parked, double consumerLag,
            long within2s, long within5s) {
        long total = within2s + within5s;
        String s = "service=\"" + service + "\"";
        String d = "product=\"verification\"," + s;
        return String.format(Locale.ROOT, """
                # TYPE fetchsms_outbox_pending gauge
                fetchsms_outbox_pending{%1$s} %2$s
                # TYPE fetchsms_outbox_lag_seconds gauge
                fetchsms_outbox_lag_seconds{%1$s} %3$s
                # TYPE fetchsms_outbox_parked gauge
                fetchsms_outbox_parked{%1$s} %4$s
                # TYPE kafka_consumer_fetch_manager_records_lag_max gauge
                kafka_consumer_fetch_manager_records_lag_max{client_id="c-1",%1$s} %5$s
                kafka_consumer_fetch_manager_records_lag_max{client_id="c-2",%1$s} NaN
                # TYPE fetchsms_codes_released_total counter
                fetchsms_codes_released_total{%6$s} %7$d
                # TYPE fetchsms_code_release_delay_seconds histogram
                fetchsms_code_release_delay_seconds_bucket{%6$s,le="0.5"} 0
                fetchsms_code_release_delay_seconds_bucket{%6$s,le="1.0"} 0
                fetchsms_code_release_delay_seconds_bucket{%6$s,le="2.0"} %8$d
                fetchsms_code_release_delay_seconds_bucket{%6$s,le="5.0"} %7$d
                fetchsms_code_release_delay_seconds_bucket{%6$s,le="10.0"} %7$d
                fetchsms_code_release_delay_seconds_bucket{%6$s,le="+Inf"} %7$d
                fetchsms_code_release_delay_seconds_count{%6$s} %7$d
                fetchsms_code_release_delay_seconds_sum{%6$s} %9$s
                """, s, pending, outboxLag, parked, consumerLag, d, total, within2s, total * 3.0);
    }

    private static String page() {
        Response page = SignedIn.browserWithSession().request().get("/app/admin/health");
        assertEquals(200, page.statusCode(), page.asString());
        return page.asString();
    }

    /** A workload's row, its cells' text joined by spaces. */
    private static String row(String page, String workload) {
        Matcher m = Pattern.compile("<th scope=\"row\">" + Pattern.quote(workload) + "</th>(.*?)</tr>", Pattern.DOTALL)
                .matcher(page);
        if (!m.find()) {
            return "(no row)";
        }
        return m.group(1).replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").trim();
    }

    private static String figure(String page, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\">([^<]*)<").matcher(page);
        assertTrue(m.find(), "no figure " + id);
        return m.group(1);
    }

    /** Prometheus' own answer to an instant query. */
    private static String prometheus(String promql) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                RealPrometheus.url() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        return answer.body();
    }
}
