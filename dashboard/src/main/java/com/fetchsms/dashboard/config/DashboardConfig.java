package com.fetchsms.dashboard.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The dashboard's settings ({@code fetchsms.dashboard.*}); every default is written out in
 * {@code application.properties}.
 */
@ConfigMapping(prefix = "fetchsms.dashboard")
public interface DashboardConfig {

    /**
     * The public API the dashboard is built on: the gateway's base URL (scheme, host, port), e.g.
     * {@code http://127.0.0.1:8080}. Every page is made of calls to it with the signed-in customer's session; the
     * dashboard has no other way into the platform.
     */
    String apiUrl();

    /**
     * The key that signs the forms' CSRF tokens (at least 32 characters). Replicas behind one address must share it;
     * without it, each process makes a random one at start (a form opened before a restart is then refused once and
     * shown again).
     */
    Optional<String> csrfKey();

    /**
     * Whether the session and CSRF cookies carry {@code Secure}: {@code auto} when the request came over HTTPS (the
     * gateway's or a trusted proxy's {@code X-Forwarded-Proto}), {@code always}, or {@code never}.
     */
    @WithDefault("auto")
    SecureCookies secureCookies();

    /** Rows per page of the ledger and of purchase lists. */
    @WithDefault("25")
    int pageSize();

    /** How often the live stream ({@code /app/live}) writes a heartbeat, so proxies keep it open. */
    @WithDefault("15s")
    Duration liveHeartbeat();

    /** Ledger rows written into one CSV export at most (the newest). */
    @WithDefault("10000")
    int csvMaxRows();

    /** The operators' health page. */
    Health health();

    /** The signed-in account that frames every page, kept per session ({@code AccountCache}). */
    AccountCache accountCache();

    interface AccountCache {

        /**
         * How long a session's account is kept: within it, a page costs the API one call (its data) instead of two. A
         * session signed out elsewhere can frame a page this long (its data is refused). {@code 0s}: not kept.
         */
        @WithDefault("5s")
        Duration ttl();

        /** Sessions whose accounts are kept at most (the least recently written go first). */
        @WithDefault("10000")
        int maxSessions();
    }

    interface Health {

        /**
         * The platform's processes by name → base URL of their management routes ({@code /q/health/ready},
         * {@code /q/metrics}), which the gateway never routes: the dashboard reads them as Prometheus would. None:
         * the health page says so and nothing is read.
         */
        Map<String, String> services();

        /**
         * How often every process is read ({@link #services()}); with Prometheus, how often the page asks it again
         * while open.
         */
        @WithDefault("30s")
        Duration scrapeInterval();

        /**
         * How much history the charts show: kept in memory (one point per read) from the processes; asked of
         * Prometheus ({@code query_range}, 120 steps) otherwise.
         */
        @WithDefault("1h")
        Duration history();

        /**
         * Prometheus' base URL (e.g. {@code http://prometheus-operated.monitoring.svc:9090}). Set, the page's figures
         * come from PromQL over every replica Prometheus scrapes, aggregated per workload, and {@link #services()} is
         * not read. None: the processes of {@link #services()} are read, if any.
         */
        Optional<String> prometheusUrl();

        /** How long Prometheus has to answer the page's queries (connect and answer) before the page says so. */
        @WithDefault("5s")
        Duration prometheusTimeout();

        /**
         * The label matchers that pick the FetchSMS workloads' series out of everything Prometheus scrapes (written
         * inside the braces of every selector); empty: all of them. The default is the pod label the monitoring
         * component's PodMonitor puts on them.
         */
        @WithDefault("app_kubernetes_io_part_of=\"fetchsms\"")
        String prometheusSelector();

        /**
         * The label that names a workload (one row of the page): its replicas are aggregated by it. The monitoring
         * component's PodMonitor makes the job the pod's {@code app.kubernetes.io/name}.
         */
        @WithDefault("job")
        String prometheusGroupBy();
    }

    enum SecureCookies {
        AUTO,
        ALWAYS,
        NEVER
    }
}
