package com.fetchsms.dashboard.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** A new API key and a new gateway's token and signing key appear in the answer to the form that made them, only. */
@QuarkusTest
@WithTestResource(FakeApi.class)
class SecretsShownOnceTest {

    @BeforeEach
    void noKeysNorGateways() {
        FakeApi.reset();
        FakeApi.answer("GET", "/v1/api-keys", 200, "[]");
        FakeApi.answer("GET", "/v1/admin/gateways", 200, "[]");
    }

    @Test
    void aNewApiKeyIsShownWithItsCopyButtonInTheFormsAnswerOnly() {
        FakeApi.answer("POST", "/v1/api-keys", 201, """
                {"id": "5e4f3a2b-1c0d-4e9f-8a7b-6c5d4e3f2a1b", "name": "my-bot", "mode": "live",
                 "key": "fsk_live_abc123", "prefix": "fsk_live_abc", "created_at": "2026-01-02T03:04:05Z"}""");
        SignedIn browser = SignedIn.browserWithSession();
        Response created = browser.form().formParam("name", "my-bot").formParam("mode", "live")
                .post("/app/api-keys");
        assertEquals(201, created.statusCode(), created.asString());
        String html = created.asString();
        assertTrue(html.contains("<h2 id=\"issued-title\">Your new key “my-bot”</h2>"), html);
        assertTrue(html.contains("<code id=\"new-key\" class=\"mono\">fsk_live_abc123</code> <button type=\"button\""
                + " class=\"small\" data-copy=\"#new-key\">Copy</button>"), html);
        assertFalse(browser.request().get("/app/api-keys").asString().contains("fsk_live_abc123"));
    }

    @Test
    void aNewGatewaysTokenAndSigningKeyAreShownWithTheirCopyButtons() {
        FakeApi.answer("POST", "/v1/admin/gateways", 201, """
                {"id": "5e4f3a2b-1c0d-4e9f-8a7b-6c5d4e3f2a1b", "name": "rack-3", "token": "gw_tok",
                 "signing_key": "gw_sign", "created_at": "2026-01-02T03:04:05Z"}""");
        Response registered = SignedIn.browserWithSession().form().formParam("name", "rack-3")
                .post("/app/admin/gateways");
        assertEquals(201, registered.statusCode(), registered.asString());
        String html = registered.asString();
        assertTrue(html.contains("<h2 id=\"creds-title\">Credentials of “rack-3”</h2>"), html);
        assertTrue(html.contains("<code id=\"gateway-token\" class=\"mono\">gw_tok</code>"), html);
        assertTrue(html.contains("data-copy=\"#gateway-signing-key\">Copy</button>"), html);
    }
}
