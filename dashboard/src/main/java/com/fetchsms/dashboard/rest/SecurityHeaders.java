package com.fetchsms.dashboard.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;

/**
 * Headers on every answer of the dashboard, pages and assets alike. A strict Content-Security-Policy: scripts,
 * styles, images and connections from the dashboard's own origin only, no inline script or style, no eval, no
 * framing, forms posted only to the dashboard. Pages are never cached (they show a customer's data).
 */
@ApplicationScoped
public class SecurityHeaders {

    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(rc -> {
            MultiMap headers = rc.response().headers();
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("X-Frame-Options", "DENY");
            headers.set("Referrer-Policy", "same-origin");
            headers.set("Cross-Origin-Opener-Policy", "same-origin");
            headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
            String path = rc.request().path();
            if (!path.startsWith("/app/webjars/") && !path.startsWith("/app/assets/")) {
                headers.set("Cache-Control", "no-store");
            }
            rc.next();
        });
    }
}
