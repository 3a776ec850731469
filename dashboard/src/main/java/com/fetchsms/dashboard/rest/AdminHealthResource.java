package com.fetchsms.dashboard.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fetchsms.dashboard.config.DashboardConfig;
import com.fetchsms.dashboard.domain.Page;
import com.fetchsms.dashboard.domain.PlatformHealth;
import com.fetchsms.dashboard.service.HealthMonitor;
import com.fetchsms.dashboard.service.Pages;
import com.fetchsms.dashboard.service.PrometheusHealth;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * Operators: is the platform well — each process ready or not, its outbox backlog and consumers' lag, codes released
 * per minute and the time from SMS to code, from the platform's own metrics: asked of Prometheus
 * ({@link PrometheusHealth}) when {@code fetchsms.dashboard.health.prometheus-url} is set, else read from each process
 * ({@link HealthMonitor}). The page refreshes itself every {@code scrape-interval}.
 */
@Path("/admin/health")
@Produces(MediaType.TEXT_HTML)
public class AdminHealthResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance health(Page page, PlatformHealth health, long refreshSeconds);
    }

    @Inject
    Pages pages;

    @Inject
    HealthMonitor monitor;

    @Inject
    PrometheusHealth prometheus;

    @Inject
    DashboardConfig config;

    @GET
    public Uni<TemplateInstance> health() {
        // Prometheus is asked only once the operator's session has been checked.
        return pages.admin("Platform health", "admin-health").flatMap(page -> source()
                .map(health -> Templates.health(page, health, config.health().scrapeInterval().toSeconds())));
    }

    private Uni<PlatformHealth> source() {
        return config.health().prometheusUrl().isPresent()
                ? prometheus.health()
                : Uni.createFrom().item(monitor::health);
    }
}
