package com.fetchsms.dashboard.rest;

import static com.fetchsms.dashboard.rest.Browser.CSRF_COOKIE;
import static com.fetchsms.dashboard.rest.Browser.SESSION_COOKIE;
import static com.fetchsms.dashboard.rest.Browser.attributes;
import static com.fetchsms.dashboard.rest.Browser.browser;
import static com.fetchsms.dashboard.rest.Browser.setCookie;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A form is accepted only with the token of the browser's own CSRF cookie and only from the dashboard's own pages;
 * anything else is a 403 page before any call to the API. Past the check, the next step (a redirect to sign in, here)
 * shows the form got through.
 */
@QuarkusTest
@TestProfile(NoPlatform.class)
class CsrfProtectionTest {

    /** The forms the brief names, and every other form of the dashboard. */
    private static final List<String> FORMS = forms();

    @Test
    void theFormsAreFoundInTheResources() {
        List<String> found = Forms.all();
        for (String form : List.of("/app/signin", "/app/signup", "/app/signout", "/app/wallet/deposits",
                "/app/verifications", "/app/verifications/" + Forms.ID + "/cancel", "/app/api-keys")) {
            assertTrue(found.contains(form), form + " in " + found);
        }
    }

    @Test
    void aFormWithoutATokenIsRefused() {
        Browser.Csrf browser = Browser.visit();
        for (String form : FORMS) {
            refused(browser().cookie(CSRF_COOKIE, browser.cookie()).formParam("amount", "10").post(form), form);
        }
    }

    @Test
    void aFormWithAWrongTokenIsRefused() {
        Browser.Csrf browser = Browser.visit();
        String token = browser.token();
        String tampered = (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1);
        for (String wrong : new String[]{tampered, "", "x", browser.cookie(), token + "A"}) {
            for (String form : FORMS) {
                refused(withCookie(browser).formParam("_csrf", wrong).post(form), form + " " + wrong);
                refused(withCookie(browser).header("X-CSRF-Token", wrong).post(form), form + " " + wrong);
            }
        }
    }

    @Test
    void aTokenOfAnotherBrowserIsRefused() {
        Browser.Csrf mine = Browser.visit();
        Browser.Csrf theirs = Browser.visit();
        for (String form : FORMS) {
            refused(withCookie(mine).formParam("_csrf", theirs.token()).post(form), form);
            refused(withCookie(mine).header("X-CSRF-Token", theirs.token()).post(form), form);
        }
    }

    @Test
    void aTokenWithoutItsCookieIsRefused() {
        Browser.Csrf browser = Browser.visit();
        for (String form : FORMS) {
            refused(browser().formParam("_csrf", browser.token()).post(form), form);
            refused(browser().cookie(CSRF_COOKIE, "x").formParam("_csrf", browser.token()).post(form), form);
        }
    }

    @Test
    void aFormFromAnotherSiteIsRefusedEvenWithTheRightToken() {
        Browser.Csrf browser = Browser.visit();
        for (String form : FORMS) {
            refused(withCookie(browser).header("Sec-Fetch-Site", "cross-site").formParam("_csrf", browser.token())
                    .post(form), form);
            refused(withCookie(browser).header("Sec-Fetch-Site", "cross-site")
                    .header("X-CSRF-Token", browser.token()).post(form), form);
        }
    }

    @Test
    void aRefusedFormDoesNothing() {
        Browser.Csrf browser = Browser.visit();
        Response signout = withCookie(browser).cookie(SESSION_COOKIE, "a-session").post("/app/signout");
        refused(signout, "/app/signout");
        assertNull(setCookie(signout, SESSION_COOKIE), "the session is not signed out");
    }

    @Test
    void theRightTokenInTheFormFieldGetsThrough() {
        Browser.Csrf browser = Browser.visit();
        withCookie(browser).formParam("_csrf", browser.token()).formParam("amount", "10")
                .formParam("method", "card").post("/app/wallet/deposits").then().statusCode(303)
                // A form's POST cannot be opened again after signing in: no way back to it.
                .header("Location", "/app/signin");
    }

    @Test
    void theRightTokenInTheHeaderGetsThrough() {
        Browser.Csrf browser = Browser.visit();
        withCookie(browser).header("X-CSRF-Token", browser.token()).formParam("amount", "10")
                .post("/app/wallet/deposits").then().statusCode(303).header("Location", "/app/signin");
        withCookie(browser).header("X-CSRF-Token", browser.token()).header("HX-Request", "true")
                .formParam("amount", "10").post("/app/wallet/deposits").then().statusCode(204)
                .header("HX-Redirect", "/app/signin").header("Location", nullValue());
        // From htmx, the way back is the page the browser was on.
        withCookie(browser).header("X-CSRF-Token", browser.token()).header("HX-Request", "true")
                .header("HX-Current-URL", "http://localhost:8080/app/wallet?before=x").formParam("amount", "10")
                .post("/app/wallet/deposits").then().statusCode(204)
                .header("HX-Redirect", "/app/signin?next=%2Fapp%2Fwallet%3Fbefore%3Dx");
    }

    @Test
    void aFormFromTheDashboardItselfGetsThrough() {
        Browser.Csrf browser = Browser.visit();
        for (String site : new String[]{"same-origin", "none"}) {
            withCookie(browser).header("Sec-Fetch-Site", site).formParam("_csrf", browser.token())
                    .post("/app/wallet/deposits").then().statusCode(303).header("Location", "/app/signin");
        }
    }

    @Test
    void signingOutWithTheRightTokenForgetsTheSession() {
        Browser.Csrf browser = Browser.visit();
        Response signout = withCookie(browser).formParam("_csrf", browser.token()).post("/app/signout");
        assertEquals(303, signout.statusCode(), signout.asString());
        assertEquals("/app/", signout.header("Location"));
        String cleared = setCookie(signout, SESSION_COOKIE);
        assertNotNull(cleared, "the session cookie is cleared");
        assertTrue(cleared.startsWith(SESSION_COOKIE + "=;"), cleared);
        assertTrue(attributes(cleared).contains("max-age=0"), cleared);
        assertTrue(attributes(cleared).contains("path=/app"), cleared);
        assertTrue(attributes(cleared).contains("httponly"), cleared);
    }

    @Test
    void theRightTokenGetsEveryFormPastTheCheck() {
        Browser.Csrf browser = Browser.visit();
        for (String form : FORMS) {
            passed(withCookie(browser).formParam("_csrf", browser.token()).post(form), form);
            passed(withCookie(browser).header("X-CSRF-Token", browser.token()).post(form), form);
        }
    }

    @Test
    void aMultipartFormIsCheckedTheSameWay() {
        Browser.Csrf browser = Browser.visit();
        for (String form : FORMS) {
            refused(withCookie(browser).multiPart("amount", "10").post(form), form);
            refused(withCookie(browser).multiPart("_csrf", "x").post(form), form);
            passed(withCookie(browser).multiPart("_csrf", browser.token()).multiPart("amount", "10").post(form),
                    form);
        }
    }

    @Test
    void aFormIsNeverReadFromTheAddress() {
        Browser.Csrf browser = Browser.visit();
        refused(withCookie(browser).queryParam("_csrf", browser.token()).post("/app/wallet/deposits"),
                "token in the query");
    }

    private static List<String> forms() {
        List<String> forms = new ArrayList<>(List.of("/app/signin", "/app/signup", "/app/signout",
                "/app/wallet/deposits", "/app/verifications", "/app/api-keys"));
        Forms.all().stream().filter(f -> !forms.contains(f)).forEach(forms::add);
        return List.copyOf(forms);
    }

    private static RequestSpecification withCookie(Browser.Csrf browser) {
        return browser().cookie(CSRF_COOKIE, browser.cookie());
    }

    private static void refused(Response response, String what) {
        assertEquals(403, response.statusCode(), what + ": " + response.asString());
        assertTrue(response.contentType().startsWith("text/html"), what + ": " + response.contentType());
        assertTrue(response.asString().contains("This form has expired or did not come from the dashboard"),
                what + ": " + response.asString());
        assertNull(response.header("Location"), what);
        assertNull(response.header("HX-Redirect"), what);
    }

    /** Got past the check: whatever came next (a sign-in redirect, the API out of reach), it was not a refusal. */
    private static void passed(Response response, String what) {
        assertNotEquals(403, response.statusCode(), what + ": " + response.asString());
        assertFalse(response.asString().contains("This form has expired"), what);
    }
}
