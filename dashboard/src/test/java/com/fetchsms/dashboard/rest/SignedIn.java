package com.fetchsms.dashboard.rest;

import static com.fetchsms.dashboard.rest.Browser.CSRF_COOKIE;
import static com.fetchsms.dashboard.rest.Browser.SESSION_COOKIE;
import static com.fetchsms.dashboard.rest.Browser.browser;

import io.restassured.specification.RequestSpecification;

/** A signed-in browser of the tests against {@link FakeApi}: its session cookie, and its CSRF cookie and token. */
record SignedIn(Browser.Csrf csrf) {

    static final String SESSION = "session-of-the-test";

    static SignedIn browserWithSession() {
        return new SignedIn(Browser.visit());
    }

    /** A request carrying the browser's cookies. */
    RequestSpecification request() {
        return browser().cookie(SESSION_COOKIE, SESSION).cookie(CSRF_COOKIE, csrf.cookie());
    }

    /**
     * A request carrying the browser's CSRF cookie and a session of its own, whose account no earlier page can have
     * kept ({@code AccountCache}): the page asks the API for it.
     */
    RequestSpecification requestWithAFreshSession() {
        return browser().cookie(SESSION_COOKIE, SESSION + "-" + java.util.UUID.randomUUID())
                .cookie(CSRF_COOKIE, csrf.cookie());
    }

    /** A form post carrying the browser's cookies and the form's CSRF token. */
    RequestSpecification form() {
        return request().formParam("_csrf", csrf.token());
    }
}
