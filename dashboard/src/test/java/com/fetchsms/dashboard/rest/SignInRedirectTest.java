package com.fetchsms.dashboard.rest;

import static com.fetchsms.dashboard.rest.Browser.SESSION_COOKIE;
import static com.fetchsms.dashboard.rest.Browser.browser;
import static com.fetchsms.dashboard.rest.Browser.hiddenInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * A page for signed-in customers, asked for without a session, sends the browser to sign in (and back afterwards)
 * without calling the API. The address is relative: through the gateway, the dashboard's own host is not the
 * browser's.
 */
@QuarkusTest
@TestProfile(NoPlatform.class)
class SignInRedirectTest {

    private static final String ID = "0b6f1e2a-9c3d-4e5f-8a7b-1c2d3e4f5a6b";

    @Test
    void theWalletWithoutASessionGoesToSignInAndComesBack() {
        Response wallet = browser().get("/app/wallet");
        assertEquals(303, wallet.statusCode(), wallet.asString());
        assertEquals("/app/signin?next=%2Fapp%2Fwallet", wallet.header("Location"));
    }

    @Test
    void everySignedInPageWithoutASessionGoesToSignIn() {
        for (String page : new String[]{"/app/wallet", "/app/wallet/ledger.csv", "/app/verifications",
                "/app/verifications/" + ID, "/app/verifications/" + ID + "/card", "/app/api-keys", "/app/live"}) {
            Response response = browser().get(page);
            assertEquals(303, response.statusCode(), page + ": " + response.asString());
            assertEquals("/app/signin?next=" + page.replace("/", "%2F"), response.header("Location"), page);
        }
    }

    @Test
    void theQueryComesBackToo() {
        Response wallet = browser().get("/app/wallet?before=" + ID + "&welcome=1");
        assertEquals(303, wallet.statusCode());
        assertEquals("/app/signin?next=%2Fapp%2Fwallet%3Fbefore%3D" + ID + "%26welcome%3D1",
                wallet.header("Location"));
    }

    @Test
    void anEmptySessionCookieIsNoSession() {
        Response wallet = browser().cookie(SESSION_COOKIE, "").get("/app/wallet");
        assertEquals(303, wallet.statusCode());
        assertEquals("/app/signin?next=%2Fapp%2Fwallet", wallet.header("Location"));
    }

    @Test
    void theAddressIsRelativeWhateverHostTheRequestNamed() {
        Response wallet = browser().header("Host", "dashboard.internal:8087").header("X-Forwarded-Host",
                "fetchsms.example").header("X-Forwarded-Proto", "https").get("/app/wallet");
        assertEquals(303, wallet.statusCode());
        assertEquals("/app/signin?next=%2Fapp%2Fwallet", wallet.header("Location"));
    }

    @Test
    void theSignInPageSendsTheBrowserBackWhereItWas() {
        String location = browser().get("/app/wallet?welcome=1").header("Location");
        String next = URLDecoder.decode(location.substring(location.indexOf("next=") + 5), StandardCharsets.UTF_8);
        assertEquals("/app/wallet?welcome=1", next);
        String signin = browser().urlEncodingEnabled(false).get(location).then().statusCode(200).extract().asString();
        assertEquals("/app/wallet?welcome=1", hiddenInput(signin, "next"));
    }

    @Test
    void htmxIsToldToLoadTheSignInPageInstead() {
        for (String page : new String[]{"/app/wallet", "/app/verifications", "/app/verifications/" + ID + "/card"}) {
            Response response = browser().header("HX-Request", "true").get(page);
            assertEquals(204, response.statusCode(), page);
            assertEquals("/app/signin", response.header("HX-Redirect"), page);
            assertNull(response.header("Location"), page);
        }
    }
}
