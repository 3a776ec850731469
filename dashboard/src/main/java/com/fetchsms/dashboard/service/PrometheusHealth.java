package com.fetchsms.dashboard.service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fetchsms.dashboard.config.DashboardConfig;
import com.fetchsms.dashboard.domain.PlatformHealth;
import com.fetchsms.dashboard.domain.ServiceStatus;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The health page's figures from Prometheus' HTTP query API ({@code fetchsms.dashboard.health.prometheus-url}): PromQL
 * over every replica Prometheus scrapes, aggregated per workload ({@code prometheus-group-by}, the job), asked when the
 * page is drawn, all queries at once, without blocking (Vert.x HTTP client). A workload's replicas are up when their
 * scrapes succeed ({@code up}); outbox gauges are the same table seen by every replica of a service, so a service's
 * figure is their maximum (and the platform's backlog the sum over services); consumers' lag is summed over replicas
 * (each reads its own partitions). Prometheus out of reach, too slow or answering an error gives a page that says so
 * ({@link PlatformHealth#problem()}), never a failure.
 */
@ApplicationScoped
public class PrometheusHealth {

    private static final Logger LOG = Logger.getLogger(PrometheusHealth.class);

    /** Steps of the charts over the history. */
    static final int CHART_STEPS = 120;

    @Inject
    DashboardConfig config;

    @Inject
    Vertx vertx;

    private volatile HttpClient client;

    void start(@Observes StartupEvent event) {
        if (config.health().prometheusUrl().isPresent()) {
            client = vertx.createHttpClient(new HttpClientOptions().setName("fetchsms-dashboard-prometheus")
                    .setConnectTimeout((int) config.health().prometheusTimeout().toMillis()).setKeepAlive(true));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (client != null) {
            client.close();
        }
    }

    /** The PromQL queries of the page, for the configured selector and grouping label. */
    record Queries(String selector, String by) {

        static Queries of(DashboardConfig.Health health) {
            String matchers = health.prometheusSelector().trim();
            return new Queries(matchers.isEmpty() ? "" : "{" + matchers + "}", health.prometheusGroupBy());
        }

        private String perWorkload(String aggregation, String metric) {
            return aggregation + " by (" + by + ") (" + metric + selector + ")";
        }

        String replicasUp() {
            return perWorkload("sum", "up");
        }

        String replicas() {
            return perWorkload("count", "up");
        }

        String outboxPending() {
            return perWorkload("max", "fetchsms_outbox_pending");
        }

        String outboxLag() {
            return perWorkload("max", "fetchsms_outbox_lag_seconds");
        }

        String outboxParked() {
            return perWorkload("max", "fetchsms_outbox_parked");
        }

        /** Each consumer's lag (NaN and negative values, which the Kafka client reports before any fetch, left out). */
        String consumerLag() {
            return "sum by (" + by + ") (kafka_consumer_fetch_manager_records_lag_max" + selector + " >= 0)";
        }

        String codesLastMinute() {
            return "sum(increase(fetchsms_codes_released_total" + selector + "[1m]))";
        }

        String timeToCode(double q) {
            return "histogram_quantile(" + q + ", sum by (le) (increase(fetchsms_code_release_delay_seconds_bucket"
                    + selector + "[5m])))";
        }

        String codesPerMinute(Duration window) {
            return "sum(rate(fetchsms_codes_released_total" + selector + "[" + window.toSeconds() + "s])) * 60";
        }

        String outboxBacklog() {
            return "sum(" + outboxPending() + ")";
        }
    }

    public Uni<PlatformHealth> health() {
        DashboardConfig.Health health = config.health();
        int historyMinutes = (int) health.history().toMinutes();
        if (client == null) {
            return Uni.createFrom().item(PlatformHealth.prometheusProblem("Prometheus is not configured",
                    historyMinutes));
        }
        Duration timeout = health.prometheusTimeout();
        // Asked on subscription: an address the client refuses at once (not a URL) fails the Uni like any other.
        return Uni.createFrom().completionStage(() -> ask(health, historyMinutes).toCompletionStage())
                .ifNoItem().after(timeout.plusSeconds(1))
                .failWith(() -> new TimeoutException("no answer within " + timeout.toSeconds() + " s"))
                .onFailure().recoverWithItem(failure -> PlatformHealth.prometheusProblem(problem(failure),
                        historyMinutes));
    }

    /** Every query at once; the page once all have answered, or the first failure. */
    private Future<PlatformHealth> ask(DashboardConfig.Health health, int historyMinutes) {
        Queries q = Queries.of(health);
        Instant now = Instant.now();
        Duration step = Duration.ofMillis(Math.max(1000, health.history().toMillis() / CHART_STEPS));
        Duration window = step.compareTo(Duration.ofMinutes(1)) > 0 ? step : Duration.ofMinutes(1);
        Instant from = now.minus(health.history());
        List<Future<List<PromQlAnswer.Series>>> answers = List.of(
                query(q.replicasUp(), now), query(q.replicas(), now), query(q.outboxPending(), now),
                query(q.outboxLag(), now), query(q.outboxParked(), now), query(q.consumerLag(), now),
                query(q.codesLastMinute(), now), query(q.timeToCode(0.5), now), query(q.timeToCode(0.95), now),
                query(q.timeToCode(0.99), now), range(q.codesPerMinute(window), from, now, step),
                range(q.outboxBacklog(), from, now, step));
        return Future.all(answers).map(done -> {
            List<List<PromQlAnswer.Series>> a = answers.stream().map(Future::result).toList();
            return figures(a, q.by(), now, historyMinutes);
        });
    }

    /** The page from the answers, in the order they were asked. */
    static PlatformHealth figures(List<List<PromQlAnswer.Series>> a, String by, Instant at, int historyMinutes) {
        Map<String, Double> up = byWorkload(a.get(0), by);
        Map<String, Double> targets = byWorkload(a.get(1), by);
        Map<String, Double> pending = byWorkload(a.get(2), by);
        Map<String, Double> lag = byWorkload(a.get(3), by);
        Map<String, Double> parked = byWorkload(a.get(4), by);
        Map<String, Double> consumerLag = byWorkload(a.get(5), by);
        List<ServiceStatus> services = new ArrayList<>();
        for (String name : new TreeSet<>(targets.keySet())) {
            int replicas = (int) Math.round(targets.get(name));
            int replicasUp = (int) Math.round(up.getOrDefault(name, 0.0));
            services.add(new ServiceStatus(name, replicas > 0 && replicasUp >= replicas, replicasUp > 0,
                    pending.getOrDefault(name, 0.0), lag.getOrDefault(name, 0.0), parked.getOrDefault(name, 0.0),
                    consumerLag.getOrDefault(name, 0.0), replicasUp, replicas, at));
        }
        return new PlatformHealth(services, Math.max(0, finiteOr(single(a.get(6)), 0)), chart(a.get(10)),
                chart(a.get(11)), quantile(a.get(7)), quantile(a.get(8)), quantile(a.get(9)), historyMinutes, true,
                true, null);
    }

    /** Each series' value by its workload label; a value that is not a number counts as 0. */
    private static Map<String, Double> byWorkload(List<PromQlAnswer.Series> series, String by) {
        Map<String, Double> values = new HashMap<>();
        for (PromQlAnswer.Series s : series) {
            String name = s.label(by);
            values.merge(name, finiteOr(s.value(), 0), Double::sum);
        }
        return values;
    }

    private static double single(List<PromQlAnswer.Series> series) {
        return series.isEmpty() ? Double.NaN : series.get(0).value();
    }

    /** A quantile, or null without any observation (Prometheus' NaN) or beyond every bucket. */
    private static Double quantile(List<PromQlAnswer.Series> series) {
        double value = single(series);
        return Double.isFinite(value) ? value : null;
    }

    private static List<Double> chart(List<PromQlAnswer.Series> series) {
        if (series.isEmpty()) {
            return List.of();
        }
        return series.get(0).samples().stream().map(s -> Math.max(0, finiteOr(s.value(), 0))).toList();
    }

    private static double finiteOr(double value, double otherwise) {
        return Double.isFinite(value) ? value : otherwise;
    }

    private String problem(Throwable failure) {
        String url = config.health().prometheusUrl().orElse("");
        if (failure instanceof PromQlAnswer.Refused refused) {
            return refused.getMessage() + " (" + url + ")";
        }
        String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return "Prometheus cannot be reached at " + url + ": " + reason;
    }

    private Future<List<PromQlAnswer.Series>> query(String promql, Instant at) {
        return get("/api/v1/query?query=" + encode(promql) + "&time=" + seconds(at));
    }

    private Future<List<PromQlAnswer.Series>> range(String promql, Instant from, Instant to, Duration step) {
        return get("/api/v1/query_range?query=" + encode(promql) + "&start=" + seconds(from) + "&end=" + seconds(to)
                + "&step=" + step.toSeconds());
    }

    private Future<List<PromQlAnswer.Series>> get(String pathAndQuery) {
        String base = config.health().prometheusUrl().orElseThrow();
        String url = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + pathAndQuery;
        return client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                .putHeader("Accept", "application/json")
                .setIdleTimeout(config.health().prometheusTimeout().toMillis()))
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> {
                    if (response.statusCode() == 200) {
                        return PromQlAnswer.parse(body.toString());
                    }
                    try {
                        PromQlAnswer.parse(body.toString());
                    } catch (PromQlAnswer.Refused refused) {
                        if (refused.getMessage().startsWith("Prometheus answered an error")) {
                            throw refused;
                        }
                    }
                    throw new PromQlAnswer.Refused("Prometheus answered HTTP " + response.statusCode());
                }))
                .onFailure(failure -> LOG.debugf("Prometheus query %s failed: %s", pathAndQuery, failure.getMessage()));
    }

    private static String encode(String promql) {
        return URLEncoder.encode(promql, StandardCharsets.UTF_8);
    }

    private static String seconds(Instant at) {
        return String.format(Locale.ROOT, "%.3f", at.toEpochMilli() / 1000.0);
    }
}
