package com.fetchsms.dashboard.rest;

import static com.fetchsms.dashboard.rest.Browser.browser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * An address that takes only a form's POST, or no address at all: a browser gets the dashboard's error page with the
 * right status (405 with {@code Allow}, 404); a client that does not read HTML gets the server's own answer, as before
 * (with {@code Allow} on a 405).
 */
@QuarkusTest
@TestProfile(NoPlatform.class)
class ErrorPagesTest {

    private static final String HTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8";

    @Test
    void aGetOnAFormsAddressIsTheErrorPageWith405AndAllow() {
        Response get = browser().accept(HTML).get("/app/wallet/deposits");
        assertEquals(405, get.statusCode(), get.asString());
        assertEquals("POST", get.header("Allow"));
        assertTrue(get.contentType().startsWith("text/html"), get.contentType());
        assertTrue(get.asString().contains("it is where a form is sent"), get.asString());
        assertTrue(get.asString().contains("Status 405."), get.asString());
        assertTrue(get.header("Content-Security-Policy") != null);
    }

    @Test
    void anAddressWithAPathParameterSaysWhatItTakesToo() {
        Response get = browser().accept(HTML).get("/app/verifications/" + Forms.ID + "/cancel");
        assertEquals(405, get.statusCode(), get.asString());
        assertEquals("POST", get.header("Allow"));
        Response put = browser().accept(HTML).put("/app/wallet");
        assertEquals(405, put.statusCode(), put.asString());
        assertEquals("GET, HEAD", put.header("Allow"));
    }

    @Test
    void aClientThatDoesNotReadHtmlGetsTheBare405WithAllow() {
        Response get = browser().accept("application/json").get("/app/wallet/deposits");
        assertEquals(405, get.statusCode());
        assertEquals("POST", get.header("Allow"));
        assertEquals("", get.asString());
    }

    @Test
    void anUnknownAddressIsTheErrorPageWith404() {
        for (String path : new String[]{"/app/no-such-page", "/app/wallet/nothing/here", "/app/admin/nope"}) {
            Response get = browser().accept(HTML).get(path);
            assertEquals(404, get.statusCode(), path + ": " + get.asString());
            assertTrue(get.contentType().startsWith("text/html"), path + ": " + get.contentType());
            assertTrue(get.asString().contains("There is no page at this address."), get.asString());
            assertTrue(get.asString().contains("Status 404."), get.asString());
        }
    }

    @Test
    void anUnknownAddressAskedForWithoutHtmlIsTheServersOwn404() {
        Response get = browser().accept("application/json").get("/app/no-such-page");
        assertEquals(404, get.statusCode());
        assertTrue(!get.asString().contains("There is no page at this address."), get.asString());
    }

    @Test
    void assetsAreStillServed() {
        assertEquals(200, browser().accept(HTML).get("/app/assets/dashboard.css").statusCode());
    }
}
