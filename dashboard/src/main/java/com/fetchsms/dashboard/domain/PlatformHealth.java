package com.fetchsms.dashboard.domain;

import java.util.List;

/**
 * The health page: each service's status, codes released per minute (the last minute, and one point per scrape over
 * the kept history for the chart), the outbox backlog over the history, and the time from the carrier's SMS to the
 * code reaching its buyer (p50/p95/p99 over the last five minutes, null without codes).
 */
public record PlatformHealth(List<ServiceStatus> services, double codesLastMinute, List<Double> codesPerMinute,
        List<Double> outboxBacklog, Double timeToCodeP50, Double timeToCodeP95, Double timeToCodeP99,
        int historyMinutes, boolean configured) {
}
