package com.fetchsms.dashboard.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The gateway's voucher for the browser's address, received with a page's request, goes back with every API call
 * made for that page (signup and login too), as it came; without one, the calls carry none.
 */
@QuarkusTest
@WithTestResource(FakeApi.class)
class ClientAddressRelayTest {

    private static final String HEADER = "X-FetchSMS-Client-Address";
    private static final String VOUCHER = "1781734445.MjAzLjAuMTEzLjk.c2lnbmF0dXJl";

    @BeforeEach
    void aWallet() {
        FakeApi.reset();
        FakeApi.answer("GET", "/v1/wallet", 200, "{\"balance_cents\": 0, \"currency\": \"USD\"}");
        FakeApi.answer("GET", "/v1/wallet/ledger", 200, "[]");
        FakeApi.answer("POST", "/v1/auth/signup", 201, FakeApi.ADMIN);
        FakeApi.answer("POST", "/v1/auth/login", 200,
                "{\"token\": \"t\", \"token_type\": \"Bearer\", \"expires_at\": \"2036-01-01T00:00:00Z\"}");
    }

    @Test
    void everyCallOfAPageCarriesTheVoucherOfItsRequest() {
        // A fresh session: an account kept from an earlier test's page would spare the account call.
        Response wallet = SignedIn.browserWithSession().requestWithAFreshSession().header(HEADER, VOUCHER)
                .get("/app/wallet");
        assertEquals(200, wallet.statusCode(), wallet.asString());
        List<FakeApi.Received> calls = FakeApi.received();
        assertEquals(3, calls.size(), calls.toString());
        calls.forEach(call -> assertEquals(VOUCHER, call.header(HEADER), call.path()));
    }

    @Test
    void aSignupCarriesTheVoucherSoThatTheThrottleSeesTheBrowser() {
        Response signup = SignedIn.browserWithSession().form().header(HEADER, VOUCHER)
                .formParams(Map.of("email", "new@example.com", "password", "correct-horse-battery"))
                .post("/app/signup");
        assertFalse(FakeApi.received("POST", "/v1/auth/signup").isEmpty(), signup.asString());
        assertEquals(VOUCHER, FakeApi.received("POST", "/v1/auth/signup").get(0).header(HEADER));
    }

    @Test
    void withoutAVoucherTheCallsCarryNone() {
        SignedIn.browserWithSession().request().get("/app/wallet");
        assertFalse(FakeApi.received().isEmpty());
        FakeApi.received().forEach(call -> assertNull(call.header(HEADER), call.path()));
    }
}
