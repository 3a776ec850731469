package com.fetchsms.dashboard.rest;

import static com.fetchsms.dashboard.rest.Browser.SESSION_COOKIE;
import static com.fetchsms.dashboard.rest.Browser.browser;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** With the public API out of reach, a page that needs it says so in plain words: 503, not a server error. */
@QuarkusTest
@TestProfile(NoPlatform.class)
class PlatformUnreachableTest {

    @Test
    void theCatalogSaysThePlatformCannotBeReached() {
        browser().get("/app/").then().statusCode(503).contentType("text/html")
                .body(containsString("The platform cannot be reached just now. Try again in a moment."))
                .body(containsString("<title>Something went wrong · FetchSMS</title>"))
                .body(not(containsString(NoPlatform.API_URL)))
                .body(not(containsString("127.0.0.1")));
    }

    @Test
    void theErrorPageCarriesTheSecurityHeaders() {
        browser().get("/app/").then().statusCode(503)
                .header("Content-Security-Policy", SecurityHeaders.CONTENT_SECURITY_POLICY)
                .header("X-Frame-Options", "DENY").header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store");
    }

    @Test
    void signingInSaysThePlatformCannotBeReached() {
        Browser.Csrf browser = Browser.visit();
        browser().cookie(Browser.CSRF_COOKIE, browser.cookie()).formParam("_csrf", browser.token())
                .formParam("email", "a@example.com").formParam("password", "correct horse battery")
                .post("/app/signin").then().statusCode(503).contentType("text/html")
                .body(containsString("The platform cannot be reached just now"));
    }

    @Test
    void aSignedInPageSaysSoToo() {
        for (String page : new String[]{"/app/wallet", "/app/verifications", "/app/api-keys", "/app/signin"}) {
            browser().cookie(SESSION_COOKIE, "a-session").get(page).then().statusCode(503)
                    .contentType("text/html").body(containsString("The platform cannot be reached just now"));
        }
    }
}
