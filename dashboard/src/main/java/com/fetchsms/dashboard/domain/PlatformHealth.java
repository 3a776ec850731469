package com.fetchsms.dashboard.domain;

import java.util.List;

/**
 * The health page: each service's status, codes released per minute (the last minute, and one point per step over
 * the history for the chart), the outbox backlog over the history, and the time from the carrier's SMS to the code
 * reaching its buyer (p50/p95/p99 over the last five minutes, null without codes). Made by either source: the
 * processes read directly ({@code HealthMonitor}) or Prometheus ({@code PrometheusHealth}, {@code fromPrometheus});
 * {@code problem} says why there are no figures (Prometheus out of reach or answering an error), else null.
 */
public record PlatformHealth(List<ServiceStatus> services, double codesLastMinute, List<Double> codesPerMinute,
        List<Double> outboxBacklog, Double timeToCodeP50, Double timeToCodeP95, Double timeToCodeP99,
        int historyMinutes, boolean configured, boolean fromPrometheus, String problem) {

    /** Prometheus could not give the figures: why, in plain words. */
    public static PlatformHealth prometheusProblem(String problem, int historyMinutes) {
        return new PlatformHealth(List.of(), 0, List.of(), List.of(), null, null, null, historyMinutes, true, true,
                problem);
    }
}
