package com.fetchsms.dashboard.rest;

import static com.fetchsms.dashboard.rest.Browser.browser;
import static com.fetchsms.dashboard.rest.Browser.hiddenInput;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The pages anyone may see render without the platform, and their scripts are served from the dashboard itself. */
@QuarkusTest
@TestProfile(NoPlatform.class)
class SignedOutPagesTest {

    @Test
    void theSignInPageIsAFormWithLabelledInputs() {
        String html = browser().get("/app/signin").then().statusCode(200).contentType("text/html")
                .header("Content-Type", containsString("charset=UTF-8")).extract().asString();
        assertTrue(html.contains("<title>Sign in · FetchSMS</title>"), html);
        assertTrue(html.contains("<form method=\"post\" action=\"/app/signin\""), html);
        assertLabelled(html, "email", "email");
        assertLabelled(html, "password", "password");
        assertFalse(hiddenInput(html, "_csrf").isEmpty(), "the form carries its CSRF token");
        assertEquals("/app/verifications", hiddenInput(html, "next"), "without next, the verifications");
        assertTrue(html.contains("href=\"/app/signup\""), "links to the sign-up page");
    }

    @Test
    void theSignUpPageIsAFormWithLabelledInputs() {
        String html = browser().get("/app/signup").then().statusCode(200).contentType("text/html").extract()
                .asString();
        assertTrue(html.contains("<title>Create your account · FetchSMS</title>"), html);
        assertTrue(html.contains("<form method=\"post\" action=\"/app/signup\""), html);
        assertLabelled(html, "email", "email");
        assertLabelled(html, "password", "password");
        assertTrue(html.contains("minlength=\"10\""), "the password's rule is in the input");
        assertTrue(html.contains("id=\"password-hint\""), "and in words next to it");
        assertFalse(hiddenInput(html, "_csrf").isEmpty());
    }

    @Test
    void aDashboardPageKeepsItsNextAddress() {
        String html = browser().queryParam("next", "/app/wallet?x=1").get("/app/signin").then().statusCode(200)
                .extract().asString();
        assertEquals("/app/wallet?x=1", hiddenInput(html, "next"));
    }

    @Test
    void anotherSitesNextAddressIsReplaced() {
        for (String elsewhere : new String[]{"//evil.com", "https://evil.com", "/app//evil.com", "/app\\evil",
                "/other"}) {
            String html = browser().queryParam("next", elsewhere).get("/app/signin").then().statusCode(200)
                    .extract().asString();
            assertEquals("/app/verifications", hiddenInput(html, "next"), elsewhere);
            assertFalse(html.contains("evil.com"), elsewhere);
        }
    }

    @Test
    void aNextAddressIsEscapedInThePage() {
        String html = browser().queryParam("next", "/app/x\"><script>alert(1)</script>").get("/app/signin").then()
                .statusCode(200).extract().asString();
        assertFalse(html.contains("<script>alert(1)"), html);
    }

    @Test
    void thePagesHaveNoInlineScript() {
        for (String path : new String[]{"/app/signin", "/app/signup"}) {
            String html = browser().get(path).then().statusCode(200).extract().asString();
            Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(html);
            int count = 0;
            while (scripts.find()) {
                count++;
                assertTrue(scripts.group(1).contains(" src=\"/app/"), path + ": " + scripts.group());
            }
            assertEquals(3, count, path + ": htmx, its SSE extension and the dashboard's own script");
            assertFalse(Pattern.compile("\\son[a-z]+=").matcher(html).find(), path + ": no inline event handler");
            assertFalse(html.contains(" style=\""), path + ": no inline style");
        }
    }

    @Test
    void htmxAndItsSseExtensionAreServedFromTheWebJars() {
        String html = browser().get("/app/signin").then().statusCode(200).extract().asString();
        List<String> scripts = scripts(html);
        String htmx = scripts.stream().filter(s -> s.matches("/app/webjars/htmx\\.org/[^/]+/dist/htmx\\.min\\.js"))
                .findFirst().orElseThrow(() -> new AssertionError("no htmx script in " + scripts));
        String sse = scripts.stream().filter(s -> s.matches("/app/webjars/htmx-ext-sse/[^/]+/sse\\.js")).findFirst()
                .orElseThrow(() -> new AssertionError("no SSE extension script in " + scripts));
        assertFalse(htmx.contains("null") || sse.contains("null"), "the web jars' versions are filled in: " + scripts);
        browser().get(htmx).then().statusCode(200).contentType(containsString("javascript"))
                .body(containsString("htmx"));
        browser().get(sse).then().statusCode(200).contentType(containsString("javascript"))
                .body(containsString("sse"));
        browser().get("/app/assets/dashboard.js").then().statusCode(200).contentType(containsString("javascript"));
        browser().get("/app/assets/dashboard.css").then().statusCode(200).contentType(containsString("text/css"));
    }

    @Test
    void anotherVersionOfHtmxIsNotServed() {
        browser().get("/app/webjars/htmx.org/0.0.0/dist/htmx.min.js").then().statusCode(404)
                .contentType(not(containsString("javascript")));
    }

    static List<String> scripts(String html) {
        List<String> sources = new ArrayList<>();
        Matcher m = Pattern.compile("<script src=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            sources.add(m.group(1));
        }
        return sources;
    }

    /** An input {@code id} of {@code type} exists and a {@code <label for=id>} names it. */
    static void assertLabelled(String html, String id, String type) {
        assertTrue(html.contains("<label for=\"" + id + "\">"), "a label for " + id);
        assertTrue(Pattern.compile("<input id=\"" + id + "\" name=\"" + id + "\" type=\"" + type + "\"[^>]*required")
                .matcher(html).find(), "an input " + id + " of type " + type);
    }
}
