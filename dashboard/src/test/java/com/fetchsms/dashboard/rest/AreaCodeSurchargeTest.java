package com.fetchsms.dashboard.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The buying and renting forms show the area-code surcharge the catalog quotes, whatever it is today. */
@QuarkusTest
@WithTestResource(FakeApi.class)
class AreaCodeSurchargeTest {

    @BeforeEach
    void aServiceAndTheRentalProduct() {
        FakeApi.reset();
        FakeApi.answer("GET", "/v1/services", 200, """
                [{"id": 1, "slug": "unlimited-services", "name": "Unlimited services", "activate_code": "ot",
                  "price_cents": 0, "long_prices": {"7": 900, "1": 200}, "short_available": 0, "long_available": 4},
                 {"id": 2, "slug": "telegram", "name": "Telegram", "activate_code": "tg", "price_cents": 150,
                  "long_prices": null, "short_available": 9, "long_available": 0}]""");
        FakeApi.answer("GET", "/v1/rentals", 200, "[]");
    }

    private static void quoteSurcharge(int cents) {
        FakeApi.answer("GET", "/v1/services/quote", 200, """
                {"service": "x", "mode": "short", "days": null, "base_daily_cents": 150, "discount_pct": 0,
                 "per_day_cents": null, "surcharge_cents": %d, "total_cents": %d}""".formatted(cents, 150 + cents));
    }

    @Test
    void theRentalsPageShowsTheQuotedSurchargeOfItsShortestTerm() {
        quoteSurcharge(25);
        String page = SignedIn.browserWithSession().request().get("/app/rentals").asString();
        assertTrue(page.contains("(optional, +$0.25)"), page);
        assertFalse(page.contains("$0.10"), page);
        List<FakeApi.Received> quotes = FakeApi.received("GET", "/v1/services/quote");
        assertEquals(1, quotes.size());
        assertTrue(List.of(quotes.get(0).query().split("&")).containsAll(List.of("service=unlimited-services",
                "mode=long", "days=1", "custom_area_code=true")), quotes.get(0).query());
    }

    @Test
    void theBuyingFormShowsTheQuotedSurchargeOfAServiceSoldPerCode() {
        quoteSurcharge(40);
        String page = SignedIn.browserWithSession().request().get("/app/").asString();
        assertTrue(page.contains("(optional, +$0.40)"), page);
        List<FakeApi.Received> quotes = FakeApi.received("GET", "/v1/services/quote");
        assertEquals(1, quotes.size());
        assertTrue(List.of(quotes.get(0).query().split("&")).containsAll(List.of("service=telegram", "mode=short",
                "custom_area_code=true")), quotes.get(0).query());
    }

    @Test
    void whenTheCatalogCannotQuoteTheFormsNameNoAmount() {
        FakeApi.answer("GET", "/v1/services/quote", 503, "{\"detail\": \"The catalog is not available\"}");
        for (String path : List.of("/app/rentals", "/app/")) {
            var answer = SignedIn.browserWithSession().request().get(path);
            assertEquals(200, answer.statusCode(), path + ": " + answer.asString());
            assertTrue(answer.asString().contains("(optional)"), path + ": " + answer.asString());
        }
    }
}
