package com.fetchsms.dashboard.rest;

import static com.fetchsms.dashboard.rest.Browser.hiddenInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The top-up form answers 303 to the wallet (Post/Redirect/Get), which shows the deposit's outcome as it stands: a
 * refresh of the page that follows never posts again.
 */
@QuarkusTest
@WithTestResource(FakeApi.class)
class DepositFormTest {

    private static final String DEPOSIT = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

    @BeforeEach
    void aWallet() {
        FakeApi.reset();
        FakeApi.answer("GET", "/v1/wallet", 200, "{\"balance_cents\": 2500, \"currency\": \"USD\"}");
        FakeApi.answer("GET", "/v1/wallet/ledger", 200, "[]");
    }

    private static String deposit(String status, String checkoutUrl) {
        return """
                {"id": "%s", "amount_cents": 2500, "method": "card", "status": "%s",
                 "created_at": "2026-01-02T03:04:05Z", "completed_at": null, "checkout_url": %s}"""
                .formatted(DEPOSIT, status, checkoutUrl == null ? "null" : "\"" + checkoutUrl + "\"");
    }

    private static Response topUp(SignedIn browser, String requestId) {
        return browser.form().formParam("amount", "25").formParam("method", "card")
                .formParam("request_id", requestId).post("/app/wallet/deposits");
    }

    @Test
    void aCompletedDepositRedirectsToTheWalletWhichSaysItWasAdded() {
        FakeApi.answer("POST", "/v1/wallet/deposits", 201, deposit("completed", null));
        FakeApi.answer("GET", "/v1/wallet/deposits/" + DEPOSIT, 200, deposit("completed", null));
        SignedIn browser = SignedIn.browserWithSession();
        String requestId = hiddenInput(browser.request().get("/app/wallet").asString(), "request_id");

        Response posted = topUp(browser, requestId);
        assertEquals(303, posted.statusCode(), posted.asString());
        assertEquals("/app/wallet?deposit=" + DEPOSIT, posted.header("Location"));
        List<FakeApi.Received> sent = FakeApi.received("POST", "/v1/wallet/deposits");
        assertEquals(1, sent.size());
        assertEquals(requestId, sent.get(0).header("Idempotency-Key"));

        Response wallet = browser.request().get(posted.header("Location"));
        assertEquals(200, wallet.statusCode());
        assertTrue(wallet.asString().contains("$25.00 added to your wallet."), wallet.asString());
    }

    @Test
    void aDepositWaitingForPaymentRedirectsToTheWalletWithTheWayToTheCheckout() {
        String checkout = "https://pay.example.com/checkout/abc";
        FakeApi.answer("POST", "/v1/wallet/deposits", 201, deposit("pending", checkout));
        FakeApi.answer("GET", "/v1/wallet/deposits/" + DEPOSIT, 200, deposit("pending", checkout));
        SignedIn browser = SignedIn.browserWithSession();
        Response posted = topUp(browser, "6f1e2a0b-9c3d-4e5f-8a7b-1c2d3e4f5a6b");
        assertEquals(303, posted.statusCode());
        String wallet = browser.request().get(posted.header("Location")).asString();
        assertTrue(wallet.contains("waits for payment"), wallet);
        assertTrue(wallet.contains("href=\"" + checkout + "\""), wallet);
    }

    @Test
    void anUnknownOrMalformedDepositInTheAddressShowsTheWalletAlone() {
        SignedIn browser = SignedIn.browserWithSession();
        for (String deposit : List.of(DEPOSIT, "not-an-id")) {
            Response wallet = browser.request().get("/app/wallet?deposit=" + deposit);
            assertEquals(200, wallet.statusCode());
            assertTrue(!wallet.asString().contains("id=\"deposit-result\""), wallet.asString());
        }
    }

    @Test
    void aRefusedDepositIsShownOnTheFormWithTheApisStatus() {
        FakeApi.answer("POST", "/v1/wallet/deposits", 503,
                "{\"detail\": \"Deposits are not available: no payment provider is configured\"}");
        Response refused = topUp(SignedIn.browserWithSession(), "6f1e2a0b-9c3d-4e5f-8a7b-1c2d3e4f5a6b");
        assertEquals(503, refused.statusCode());
        assertTrue(refused.asString().contains("Deposits are not available"), refused.asString());
    }
}
