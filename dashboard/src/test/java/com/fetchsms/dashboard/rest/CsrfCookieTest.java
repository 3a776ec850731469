package com.fetchsms.dashboard.rest;

import static com.fetchsms.dashboard.rest.Browser.CSRF_COOKIE;
import static com.fetchsms.dashboard.rest.Browser.attributes;
import static com.fetchsms.dashboard.rest.Browser.browser;
import static com.fetchsms.dashboard.rest.Browser.hiddenInput;
import static com.fetchsms.dashboard.rest.Browser.setCookie;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** The browser's CSRF cookie: given on its first page, readable by no script, sent back to the dashboard only. */
@QuarkusTest
@TestProfile(NoPlatform.class)
class CsrfCookieTest {

    @Test
    void theFirstPageGivesAStrictHttpOnlyCookieForTheDashboardsPaths() {
        Response signin = browser().get("/app/signin");
        String header = setCookie(signin, CSRF_COOKIE);
        assertNotNull(header, "Set-Cookie " + CSRF_COOKIE);
        List<String> attributes = attributes(header);
        assertTrue(attributes.contains("httponly"), header);
        assertTrue(attributes.contains("samesite=strict"), header);
        assertTrue(attributes.contains("path=/app"), header);
        assertFalse(attributes.stream().anyMatch(a -> a.startsWith("domain=")), "host-only: " + header);
        assertFalse(attributes.stream().anyMatch(a -> a.startsWith("max-age=") || a.startsWith("expires=")),
                "gone with the browser session: " + header);
        assertTrue(signin.getCookie(CSRF_COOKIE).matches("[A-Za-z0-9_-]{43}"), header);
    }

    @Test
    void overPlainHttpTheCookieIsNotSecure() {
        String header = setCookie(browser().get("/app/signin"), CSRF_COOKIE);
        assertFalse(attributes(header).contains("secure"), header);
        header = setCookie(browser().header("X-Forwarded-Proto", "http").get("/app/signin"), CSRF_COOKIE);
        assertFalse(attributes(header).contains("secure"), header);
    }

    @Test
    void overHttpsThroughTheGatewayTheCookieIsSecure() {
        for (String proto : new String[]{"https", "HTTPS", " https "}) {
            String header = setCookie(browser().header("X-Forwarded-Proto", proto).get("/app/signin"), CSRF_COOKIE);
            assertTrue(attributes(header).contains("secure"), proto + ": " + header);
        }
        String header = setCookie(browser().header("X-Forwarded-Proto", "https").get("/app/signup"), CSRF_COOKIE);
        assertTrue(attributes(header).contains("secure"), header);
    }

    @Test
    void theFormsTokenIsNotTheCookieValue() {
        Response signin = browser().get("/app/signin");
        String cookie = signin.getCookie(CSRF_COOKIE);
        String token = hiddenInput(signin.asString(), "_csrf");
        assertNotEquals(cookie, token);
        assertFalse(signin.asString().contains(cookie), "the page never shows the cookie value");
    }

    @Test
    void eachNewBrowserGetsItsOwnCookieAndToken() {
        Response one = browser().get("/app/signin");
        Response two = browser().get("/app/signin");
        assertNotEquals(one.getCookie(CSRF_COOKIE), two.getCookie(CSRF_COOKIE));
        assertNotEquals(hiddenInput(one.asString(), "_csrf"), hiddenInput(two.asString(), "_csrf"));
    }

    @Test
    void aBrowserThatHasTheCookieKeepsItAndGetsTheSameToken() {
        Browser.Csrf visit = Browser.visit();
        for (String path : new String[]{"/app/signin", "/app/signup"}) {
            Response again = browser().cookie(CSRF_COOKIE, visit.cookie()).get(path);
            assertNull(setCookie(again, CSRF_COOKIE), path + ": no new cookie");
            assertEquals(visit.token(), hiddenInput(again.asString(), "_csrf"), path);
        }
    }

    @Test
    void aMalformedCookieIsReplaced() {
        for (String malformed : new String[]{"x", "A".repeat(42) + "+", "A".repeat(44)}) {
            Response signin = browser().cookie(CSRF_COOKIE, malformed).get("/app/signin");
            String replaced = signin.getCookie(CSRF_COOKIE);
            assertNotNull(replaced, malformed);
            assertNotEquals(malformed, replaced);
            assertTrue(replaced.matches("[A-Za-z0-9_-]{43}"), replaced);
        }
    }
}
