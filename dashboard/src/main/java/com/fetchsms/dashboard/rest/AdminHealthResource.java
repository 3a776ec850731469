package com.fetchsms.dashboard.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fetchsms.dashboard.domain.Page;
import com.fetchsms.dashboard.domain.PlatformHealth;
import com.fetchsms.dashboard.service.HealthMonitor;
import com.fetchsms.dashboard.service.Pages;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * Operators: is the platform well — each process ready or not, its outbox backlog and consumers' lag, codes released
 * per minute and the time from SMS to code, from the platform's own metrics ({@link HealthMonitor}). The page
 * refreshes itself every read.
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
    com.fetchsms.dashboard.config.DashboardConfig config;

    @GET
    public Uni<TemplateInstance> health() {
        return pages.admin("Platform health", "admin-health").map(page -> Templates.health(page, monitor.health(),
                config.health().scrapeInterval().toSeconds()));
    }
}
