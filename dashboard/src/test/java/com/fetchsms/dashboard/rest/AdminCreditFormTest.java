package com.fetchsms.dashboard.rest;

import static com.fetchsms.dashboard.rest.Browser.hiddenInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The operators' credit form: its key, made when the form is drawn, goes to the API as the Idempotency-Key of every
 * submit of that form, and a credit answers 303 to the account's page, which says what was done.
 */
@QuarkusTest
@WithTestResource(FakeApi.class)
class AdminCreditFormTest {

    private static final String ACCOUNT = "3f2b8c1e-5d4a-4e6f-9a8b-7c6d5e4f3a2b";
    private static final String CREDITS = "/v1/admin/accounts/" + ACCOUNT + "/credits";

    @BeforeEach
    void anAccountWithAnEmptyLedger() {
        FakeApi.reset();
        FakeApi.answer("GET", "/v1/admin/accounts", 200, """
                [{"id": "%s", "email": "buyer@example.com", "role": "user", "created_at": "2026-01-02T03:04:05Z",
                  "balance_cents": 1200}]""".formatted(ACCOUNT));
        FakeApi.answer("GET", "/v1/admin/accounts/" + ACCOUNT + "/ledger", 200, "[]");
    }

    private static Response submit(SignedIn browser, String requestId, String amount) {
        return browser.form().formParam("email", "buyer@example.com").formParam("amount", amount)
                .formParam("direction", "credit").formParam("reason", "goodwill")
                .formParam("request_id", requestId).post("/app/admin/accounts/" + ACCOUNT + "/adjust");
    }

    @Test
    void aCreditRedirectsToTheAccountPageWhichSaysWhatWasDone() {
        FakeApi.answer("POST", CREDITS, 201, "{}");
        SignedIn browser = SignedIn.browserWithSession();
        String requestId = hiddenInput(
                browser.request().get("/app/admin/accounts/" + ACCOUNT + "?email=buyer@example.com").asString(),
                "request_id");

        Response credited = submit(browser, requestId, "5");
        assertEquals(303, credited.statusCode(), credited.asString());
        String location = credited.header("Location");
        assertEquals("/app/admin/accounts/" + ACCOUNT + "?email=buyer%40example.com&adjusted=500", location);
        List<FakeApi.Received> posted = FakeApi.received("POST", CREDITS);
        assertEquals(1, posted.size());
        assertEquals(requestId, posted.get(0).header("Idempotency-Key"));
        assertTrue(posted.get(0).body().contains("\"amount_cents\":500"), posted.get(0).body());

        Response page = browser.request().get(location);
        assertEquals(200, page.statusCode());
        assertTrue(page.asString().contains("Credited $5.00."), page.asString());
    }

    @Test
    void theSameFormSubmittedTwiceSendsTheSameKeyAndADrawnFormANewOne() {
        FakeApi.answer("POST", CREDITS, 201, "{}");
        SignedIn browser = SignedIn.browserWithSession();
        String page = browser.request().get("/app/admin/accounts/" + ACCOUNT + "?email=buyer@example.com").asString();
        String requestId = hiddenInput(page, "request_id");
        UUID.fromString(requestId);
        assertEquals(303, submit(browser, requestId, "5").statusCode());
        assertEquals(303, submit(browser, requestId, "5").statusCode());
        String again = hiddenInput(
                browser.request().get("/app/admin/accounts/" + ACCOUNT + "?email=buyer@example.com").asString(),
                "request_id");
        List<String> keys = FakeApi.received("POST", CREDITS).stream().map(r -> r.header("Idempotency-Key"))
                .toList();
        assertEquals(List.of(requestId, requestId), keys);
        assertTrue(!again.equals(requestId), "each drawn form has its own key");
    }

    @Test
    void aRefusedCreditIsShownNextToItsFieldWithTheApisStatus() {
        FakeApi.answer("POST", CREDITS, 409, "{\"detail\": \"An adjustment of -2000 cents would take the balance"
                + " below zero (balance: 1200 cents)\"}");
        SignedIn browser = SignedIn.browserWithSession();
        Response refused = browser.form().formParam("email", "buyer@example.com").formParam("amount", "20")
                .formParam("direction", "debit").formParam("reason", "correction")
                .formParam("request_id", UUID.randomUUID().toString())
                .post("/app/admin/accounts/" + ACCOUNT + "/adjust");
        assertEquals(409, refused.statusCode());
        assertTrue(refused.asString().contains("That would take the balance below zero."), refused.asString());
        assertTrue(refused.asString().contains("aria-invalid=\"true\" aria-describedby=\"adjust-amount-problem\""));
    }

    @Test
    void aNoticeIsOnlyEverAnAmountTheDashboardWrites() {
        SignedIn browser = SignedIn.browserWithSession();
        String base = "/app/admin/accounts/" + ACCOUNT + "?email=buyer@example.com&adjusted=";
        assertTrue(browser.request().get(base + "-250").asString().contains("Debited $2.50."));
        for (String odd : List.of("<b>hi</b>", "0", "", "1e3")) {
            String html = browser.request().get(base + odd).asString();
            assertTrue(!html.contains("id=\"adjust-result\""), odd + ": " + html);
        }
    }
}
