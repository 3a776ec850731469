package com.fetchsms.dashboard.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fetchsms.dashboard.config.DashboardConfig;
import com.fetchsms.dashboard.domain.PlatformHealth;
import com.fetchsms.dashboard.domain.ServiceStatus;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Reads every process's readiness and metrics ({@code fetchsms.dashboard.health.services}) every
 * {@code scrape-interval}, on the event loop, and keeps one aggregated point per read for {@code history}: codes
 * released, the code-delay histogram's buckets, the outbox backlog. The health page is drawn from the last read and
 * these points; nothing is stored anywhere else.
 */
@ApplicationScoped
public class HealthMonitor {

    private static final Logger LOG = Logger.getLogger(HealthMonitor.class);

    /** One read of the whole platform. */
    record Point(Instant at, double codesReleased, TreeMap<Double, Double> delayBuckets, double outboxPending) {
    }

    @Inject
    DashboardConfig config;

    @Inject
    Vertx vertx;

    private final Map<String, ServiceStatus> latest = new ConcurrentHashMap<>();
    private final Deque<Point> points = new ArrayDeque<>();
    private HttpClient client;
    private long timer = -1;

    void start(@Observes StartupEvent event) {
        if (config.health().services().isEmpty() || config.health().prometheusUrl().isPresent()) {
            return;
        }
        client = vertx.createHttpClient(new HttpClientOptions().setName("fetchsms-dashboard-health")
                .setConnectTimeout(2000).setKeepAlive(true));
        timer = vertx.setPeriodic(0, config.health().scrapeInterval().toMillis(), tick -> read());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (client != null) {
            client.close();
        }
    }

    /** One read of every process; the point is kept once every process answered or failed. */
    void read() {
        Instant now = Instant.now();
        List<Future<List<PrometheusText.Sample>>> reads = new ArrayList<>();
        config.health().services().forEach((name, base) -> {
            Future<Boolean> ready = get(base + "/q/health/ready").map(body -> true).otherwise(false);
            Future<List<PrometheusText.Sample>> metrics = get(base + "/q/metrics").map(PrometheusText::parse);
            reads.add(Future.join(ready, metrics).transform(done -> {
                List<PrometheusText.Sample> samples = metrics.succeeded() ? metrics.result() : List.of();
                latest.put(name, status(name, ready.succeeded() && ready.result(), metrics.succeeded(), samples,
                        now));
                return Future.succeededFuture(samples);
            }));
        });
        Future.join(reads).onComplete(done -> {
            double codes = 0;
            double backlog = 0;
            TreeMap<Double, Double> buckets = new TreeMap<>();
            for (Future<List<PrometheusText.Sample>> read : reads) {
                for (PrometheusText.Sample s : read.result()) {
                    switch (s.name()) {
                        case "fetchsms_codes_released_total" -> codes += s.value();
                        case "fetchsms_outbox_pending" -> backlog += s.value();
                        case "fetchsms_code_release_delay_seconds_bucket" -> {
                            String le = s.labels().get("le");
                            if (le != null) {
                                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                                buckets.merge(bound, s.value(), Double::sum);
                            }
                        }
                        default -> {
                        }
                    }
                }
            }
            keep(new Point(now, codes, buckets, backlog));
        });
    }

    private synchronized void keep(Point point) {
        points.addLast(point);
        Instant oldest = point.at().minus(config.health().history());
        while (!points.isEmpty() && points.peekFirst().at().isBefore(oldest)) {
            points.removeFirst();
        }
    }

    private Future<String> get(String url) {
        return client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                .setTimeout(config.health().scrapeInterval().toMillis() / 2))
                .compose(request -> request.send())
                .compose(response -> response.statusCode() == 200
                        ? response.body().map(Object::toString)
                        : Future.failedFuture(url + " answered " + response.statusCode()))
                .onFailure(failure -> LOG.debugf("Health read of %s failed: %s", url, failure.getMessage()));
    }

    static ServiceStatus status(String name, boolean ready, boolean scraped, List<PrometheusText.Sample> samples,
            Instant at) {
        double pending = 0;
        double lag = 0;
        double parked = 0;
        double consumerLag = 0;
        for (PrometheusText.Sample s : samples) {
            if (Double.isNaN(s.value())) {
                continue;
            }
            switch (s.name()) {
                case "fetchsms_outbox_pending" -> pending += s.value();
                case "fetchsms_outbox_lag_seconds" -> lag = Math.max(lag, s.value());
                case "fetchsms_outbox_parked" -> parked += s.value();
                case "kafka_consumer_fetch_manager_records_lag_max" -> consumerLag += Math.max(0, s.value());
                default -> {
                }
            }
        }
        return ServiceStatus.ofProcess(name, ready, scraped, pending, lag, parked, consumerLag, at);
    }

    /** The page's figures from the last read and the kept points. */
    public synchronized PlatformHealth health() {
        List<ServiceStatus> services = new ArrayList<>();
        config.health().services().keySet().stream().sorted().forEach(name -> {
            ServiceStatus status = latest.get(name);
            services.add(status != null ? status : ServiceStatus.ofProcess(name, false, false, 0, 0, 0, 0, null));
        });
        List<Point> kept = new ArrayList<>(points);
        List<Double> perMinute = new ArrayList<>();
        List<Double> backlog = new ArrayList<>();
        for (int i = 1; i < kept.size(); i++) {
            Point previous = kept.get(i - 1);
            Point point = kept.get(i);
            double minutes = Duration.between(previous.at(), point.at()).toMillis() / 60_000.0;
            double released = point.codesReleased() - previous.codesReleased();
            // A process restarted: its counter began again, so the difference says nothing for this step.
            perMinute.add(minutes <= 0 || released < 0 ? 0 : released / minutes);
            backlog.add(point.outboxPending());
        }
        Point last = kept.isEmpty() ? null : kept.get(kept.size() - 1);
        Point minuteAgo = pointBefore(kept, last, Duration.ofMinutes(1));
        Point fiveAgo = pointBefore(kept, last, Duration.ofMinutes(5));
        double lastMinute = 0;
        if (last != null && minuteAgo != null) {
            double minutes = Duration.between(minuteAgo.at(), last.at()).toMillis() / 60_000.0;
            lastMinute = minutes <= 0 ? 0 : Math.max(0, last.codesReleased() - minuteAgo.codesReleased()) / minutes;
        }
        TreeMap<Double, Double> window = last == null || fiveAgo == null
                ? new TreeMap<>()
                : difference(last.delayBuckets(), fiveAgo.delayBuckets());
        return new PlatformHealth(services, lastMinute, perMinute, backlog, Quantiles.of(window, 0.50),
                Quantiles.of(window, 0.95), Quantiles.of(window, 0.99),
                (int) config.health().history().toMinutes(), !config.health().services().isEmpty(), false, null);
    }

    /** The newest point at least {@code age} older than {@code last} (or the oldest kept). */
    private static Point pointBefore(List<Point> kept, Point last, Duration age) {
        if (last == null || kept.size() < 2) {
            return null;
        }
        Point chosen = kept.get(0);
        for (Point p : kept) {
            if (!p.at().isAfter(last.at().minus(age))) {
                chosen = p;
            }
        }
        return chosen == last ? null : chosen;
    }

    private static TreeMap<Double, Double> difference(TreeMap<Double, Double> now, TreeMap<Double, Double> then) {
        TreeMap<Double, Double> window = new TreeMap<>();
        now.forEach((le, count) -> window.put(le, Math.max(0, count - then.getOrDefault(le, 0.0))));
        return window;
    }
}
