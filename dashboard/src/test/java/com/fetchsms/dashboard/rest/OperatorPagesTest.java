package com.fetchsms.dashboard.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The operators' numbers page: its menu marks where the operator is, and an import keeps the gateway it chose. */
@QuarkusTest
@WithTestResource(FakeApi.class)
class OperatorPagesTest {

    private static final String FIRST = "11111111-1111-4111-8111-111111111111";
    private static final String SECOND = "22222222-2222-4222-8222-222222222222";

    @BeforeEach
    void twoGatewaysAndNoNumbers() {
        FakeApi.reset();
        FakeApi.answer("GET", "/v1/admin/numbers", 200, "[]");
        FakeApi.answer("GET", "/v1/admin/gateways", 200, """
                [{"id": "%s", "name": "rack-1", "token_prefix": "gw_a", "created_at": "2026-01-02T03:04:05Z",
                  "last_seen_at": null, "numbers": 0, "messages": 0, "duplicates": 0, "rejected": 0},
                 {"id": "%s", "name": "rack-2", "token_prefix": "gw_b", "created_at": "2026-01-02T03:04:05Z",
                  "last_seen_at": null, "numbers": 0, "messages": 0, "duplicates": 0, "rejected": 0}]"""
                .formatted(FIRST, SECOND));
    }

    private static Response importTo(String gateway) {
        return SignedIn.browserWithSession().form().formParam("gateway_id", gateway)
                .formParam("numbers", "+13325550101\nhello").post("/app/admin/numbers/import");
    }

    @Test
    void theOperatorsMenuMarksTheCurrentPage() {
        String page = SignedIn.browserWithSession().request().get("/app/admin/numbers").asString();
        assertTrue(page.contains("<a href=\"/app/admin/numbers\" aria-current=\"page\">Numbers</a>"), page);
        assertTrue(page.contains("<a href=\"/app/admin/gateways\" >Modem gateways</a>"), page);
        assertTrue(page.contains("<a href=\"/app/admin/gateways\" aria-current=\"page\">Operators</a>"), page);
        assertEquals(1, page.split("aria-current=\"page\">Numbers").length - 1);
    }

    @Test
    void anImportReportKeepsTheChosenGateway() {
        FakeApi.answer("POST", "/v1/admin/numbers", 201, "{\"added\": 1, \"skipped\": 0, \"invalid\": [\"hello\"]}");
        Response report = importTo(SECOND);
        assertEquals(200, report.statusCode(), report.asString());
        String html = report.asString();
        assertTrue(html.contains("<option value=\"" + SECOND + "\" selected>rack-2</option>"), html);
        assertTrue(html.contains("<option value=\"" + FIRST + "\" >rack-1</option>"), html);
        assertTrue(FakeApi.received("POST", "/v1/admin/numbers").get(0).body().contains(SECOND));
    }

    @Test
    void aRefusedImportKeepsTheChosenGatewayToo() {
        FakeApi.answer("POST", "/v1/admin/numbers", 422, "{\"detail\": \"'numbers' must hold at most 10000 entries\"}");
        Response refused = importTo(SECOND);
        assertEquals(422, refused.statusCode());
        assertTrue(refused.asString().contains("<option value=\"" + SECOND + "\" selected>rack-2</option>"),
                refused.asString());
        Response empty = SignedIn.browserWithSession().form().formParam("gateway_id", SECOND)
                .formParam("numbers", "").post("/app/admin/numbers/import");
        assertEquals(422, empty.statusCode());
        assertTrue(empty.asString().contains("<option value=\"" + SECOND + "\" selected>rack-2</option>"));
        assertFalse(FakeApi.received("POST", "/v1/admin/numbers").size() > 1, "an empty import is not sent");
    }
}
