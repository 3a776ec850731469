package com.fetchsms.dashboard.service;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import com.fetchsms.dashboard.config.DashboardConfig;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * What the dashboard knows about the browser behind the current request: its session (the API's session token,
 * kept in an HttpOnly cookie no page script can read), its CSRF cookie and the token its forms carry, and whether it
 * came over HTTPS. Sets and clears those cookies.
 */
@RequestScoped
public class WebRequest {

    public static final String SESSION_COOKIE = "fs_session";
    public static final String CSRF_COOKIE = "fs_csrf";
    /** Cookies are sent back to the dashboard's own paths only. */
    public static final String COOKIE_PATH = "/app";

    @Inject
    RoutingContext routing;

    @Inject
    DashboardConfig config;

    @Inject
    CsrfTokens csrf;

    @Inject
    AccountCache accounts;

    private String csrfCookie;

    /** The API session of the signed-in browser, or {@code null}. */
    public String session() {
        Cookie cookie = routing.request().getCookie(SESSION_COOKIE);
        String value = cookie == null ? null : cookie.getValue();
        return value == null || value.isBlank() ? null : value;
    }

    /** {@code "Bearer <session>"} for the API, or {@code null} when signed out. */
    public String bearer() {
        String session = session();
        return session == null ? null : "Bearer " + session;
    }

    /** The CSRF token the page's forms carry; gives the browser its CSRF cookie first when it has none. */
    public String csrfToken() {
        if (csrfCookie == null) {
            Cookie cookie = routing.request().getCookie(CSRF_COOKIE);
            if (cookie != null && csrf.wellFormed(cookie.getValue())) {
                csrfCookie = cookie.getValue();
            } else {
                csrfCookie = csrf.newCookieValue();
                routing.response().addCookie(cookie(CSRF_COOKIE, csrfCookie, -1, CookieSameSite.STRICT));
            }
        }
        return csrf.tokenFor(csrfCookie);
    }

    /** Whether an unsafe request carries the right token (form field or header). */
    public boolean csrfValid(String token) {
        Cookie cookie = routing.request().getCookie(CSRF_COOKIE);
        return cookie != null && csrf.matches(cookie.getValue(), token);
    }

    /**
     * Keeps the API session in the browser until it expires, and gives the browser a new CSRF cookie: a token learnt
     * before signing in (a planted cookie, a shared computer) does not work after it.
     */
    public void signIn(String session, long maxAgeSeconds) {
        routing.response().addCookie(cookie(SESSION_COOKIE, session, maxAgeSeconds, CookieSameSite.LAX));
        renewCsrf();
    }

    /** Forgets the session in the browser (and the account kept for it), and its CSRF cookie with it. */
    public void signOut() {
        accounts.forget(bearer());
        routing.response().addCookie(cookie(SESSION_COOKIE, "", 0, CookieSameSite.LAX));
        renewCsrf();
    }

    private void renewCsrf() {
        csrfCookie = csrf.newCookieValue();
        routing.response().addCookie(cookie(CSRF_COOKIE, csrfCookie, -1, CookieSameSite.STRICT));
    }

    /** The path of the page an htmx request came from ({@code HX-Current-URL}), or {@code null}. */
    public String htmxCurrentPath() {
        String url = routing.request().getHeader("HX-Current-URL");
        if (url == null) {
            return null;
        }
        try {
            java.net.URI uri = java.net.URI.create(url);
            return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    /** Whether the request was sent by htmx (a fragment, not a whole page, is wanted). */
    public boolean htmx() {
        return "true".equals(routing.request().getHeader("HX-Request"));
    }

    /** Whether the browser reached the platform over HTTPS. */
    public boolean https() {
        String proto = routing.request().getHeader("X-Forwarded-Proto");
        return proto != null ? proto.trim().equalsIgnoreCase("https") : routing.request().isSSL();
    }

    private Cookie cookie(String name, String value, long maxAgeSeconds, CookieSameSite sameSite) {
        Cookie cookie = Cookie.cookie(name, value).setPath(COOKIE_PATH).setHttpOnly(true).setSameSite(sameSite)
                .setSecure(switch (config.secureCookies()) {
                    case ALWAYS -> true;
                    case NEVER -> false;
                    case AUTO -> https();
                });
        if (maxAgeSeconds >= 0) {
            cookie.setMaxAge(maxAgeSeconds);
        }
        return cookie;
    }
}
