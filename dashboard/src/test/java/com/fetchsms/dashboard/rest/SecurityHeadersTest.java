package com.fetchsms.dashboard.rest;

import static com.fetchsms.dashboard.rest.Browser.browser;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/** Every answer carries the security headers; pages (never the assets) are not cached. */
@QuarkusTest
@TestProfile(NoPlatform.class)
class SecurityHeadersTest {

    @Test
    void aPageCarriesTheSecurityHeadersAndIsNotCached() {
        for (String path : new String[]{"/app/signin", "/app/signup"}) {
            page(browser().get(path).then().statusCode(200));
        }
    }

    @Test
    void aRedirectToSignInCarriesThem() {
        page(browser().get("/app/wallet").then().statusCode(303));
        page(browser().header("HX-Request", "true").get("/app/wallet").then().statusCode(204));
    }

    @Test
    void aRefusedFormCarriesThem() {
        page(browser().formParam("email", "a@example.com").post("/app/signin").then().statusCode(403));
    }

    @Test
    void aMissingPageCarriesThem() {
        page(browser().get("/app/no-such-page").then().statusCode(404));
    }

    @Test
    void theAssetsCarryThemButMayBeCached() {
        for (String path : new String[]{"/app/assets/dashboard.css", "/app/assets/dashboard.js"}) {
            asset(browser().get(path).then().statusCode(200));
        }
        Response signin = browser().get("/app/signin");
        for (String script : SignedOutPagesTest.scripts(signin.asString())) {
            asset(browser().get(script).then().statusCode(200));
        }
    }

    @Test
    void thePolicyAllowsOnlyTheDashboardsOwnOrigin() {
        List<String> directives = List.of(SecurityHeaders.CONTENT_SECURITY_POLICY.split(";\\s*"));
        assertEquals(List.of("default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
                "connect-src 'self'", "font-src 'self'", "form-action 'self'", "frame-ancestors 'none'",
                "base-uri 'none'"), directives);
    }

    private static void page(ValidatableResponse response) {
        common(response);
        response.header("Cache-Control", "no-store");
    }

    private static void asset(ValidatableResponse response) {
        common(response);
        response.header("Cache-Control", anyOf(nullValue(), not(containsString("no-store"))));
    }

    private static void common(ValidatableResponse response) {
        response.header("Content-Security-Policy", SecurityHeaders.CONTENT_SECURITY_POLICY)
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin");
    }
}
