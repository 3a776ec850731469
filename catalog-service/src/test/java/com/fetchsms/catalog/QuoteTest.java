package com.fetchsms.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class QuoteTest {

    @Test
    void telegramShortWithAreaCodeIsTheDocumentedExample() {
        Map<String, Object> quote = given().queryParam("service", 4).queryParam("mode", "short")
                .queryParam("custom_area_code", true)
                .when().get("/v1/services/quote").then().statusCode(200).extract().jsonPath().getMap("$");
        Map<String, Object> expected = new java.util.LinkedHashMap<>();
        expected.put("service", "telegram");
        expected.put("mode", "short");
        expected.put("days", null);
        expected.put("base_daily_cents", 70);
        expected.put("discount_pct", 0);
        expected.put("per_day_cents", null);
        expected.put("surcharge_cents", 10);
        expected.put("total_cents", 80);
        org.junit.jupiter.api.Assertions.assertEquals(expected, quote);
        org.junit.jupiter.api.Assertions.assertEquals(List.copyOf(expected.keySet()), List.copyOf(quote.keySet()));
    }

    @Test
    void unlimitedThirtyDaysIsTheDocumentedExample() {
        given().queryParam("service", 1).queryParam("mode", "long").queryParam("days", 30)
                .when().get("/v1/services/quote").then().statusCode(200)
                .body("service", equalTo("unlimited-services"))
                .body("mode", equalTo("long"))
                .body("days", equalTo(30))
                .body("base_daily_cents", equalTo(300))
                .body("discount_pct", equalTo(87))
                .body("per_day_cents", equalTo(40))
                .body("surcharge_cents", equalTo(0))
                .body("total_cents", equalTo(1200));
    }

    @Test
    void everyTermFollowsTheTableAndTheRoundingRule() {
        // days → total, per day (half up), discount % (half up) against 300/day
        int[][] table = {{1, 300, 300, 0}, {7, 600, 86, 71}, {30, 1200, 40, 87}, {90, 2500, 28, 91},
                {365, 9000, 25, 92}};
        for (int[] row : table) {
            given().queryParam("service", "unlimited-services").queryParam("mode", "long").queryParam("days", row[0])
                    .when().get("/v1/services/quote").then().statusCode(200)
                    .body("total_cents", equalTo(row[1]))
                    .body("per_day_cents", equalTo(row[2]))
                    .body("discount_pct", equalTo(row[3]));
        }
    }

    @Test
    void aSlugWorksLikeTheIdAndTheAreaCodeSurchargeAppliesToRentals() {
        given().queryParam("service", "whatsapp").queryParam("mode", "short").when().get("/v1/services/quote")
                .then().statusCode(200).body("total_cents", equalTo(140)).body("surcharge_cents", equalTo(0))
                .body("days", nullValue());
        given().queryParam("service", 1).queryParam("mode", "long").queryParam("days", 7)
                .queryParam("custom_area_code", "true").when().get("/v1/services/quote")
                .then().statusCode(200).body("total_cents", equalTo(610)).body("surcharge_cents", equalTo(10));
    }

    @Test
    void badQuotesAreClearClientErrors() {
        expectError(Map.of("mode", "short"), 400, "'service' is required");
        expectError(Map.of("service", "4"), 400, "'mode' is required");
        expectError(Map.of("service", "4", "mode", "weekly"), 422, "'mode' must be short or long");
        expectError(Map.of("service", "999", "mode", "short"), 404, "Unknown service: 999");
        expectError(Map.of("service", "no-such-app", "mode", "short"), 404, "Unknown service: no-such-app");
        expectError(Map.of("service", "1", "mode", "long", "days", "14"), 422, "Unsupported duration: 14 days");
        expectError(Map.of("service", "1", "mode", "long", "days", "ten"), 422, "'days' must be an integer");
        expectError(Map.of("service", "1", "mode", "long"), 422, "'days' is required");
        expectError(Map.of("service", "4", "mode", "long", "days", "30"), 404, "not sold as a long-term rental");
        expectError(Map.of("service", "1", "mode", "short"), 404, "long-term rental product");
        expectError(Map.of("service", "4", "mode", "short", "days", "30"), 422, "'days' applies only");
        expectError(Map.of("service", "4", "mode", "short", "custom_area_code", "maybe"), 422,
                "'custom_area_code' must be true or false");
    }

    private static void expectError(Map<String, String> query, int status, String detail) {
        given().queryParams(query).when().get("/v1/services/quote").then().statusCode(status)
                .body("detail", containsString(detail));
    }
}
