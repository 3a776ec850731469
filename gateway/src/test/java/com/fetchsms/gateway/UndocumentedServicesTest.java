package com.fetchsms.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The merged OpenAPI document built while every documented service answers: webhook (the one service down in these
 * tests) and the dashboard are configured without a document ({@code api-document=false}), so the document is
 * complete without them, holds none of their paths, and neither is ever asked for one; their routes are still proxied.
 */
@QuarkusTest
@TestProfile(UndocumentedServicesTest.WebhookWithoutDocument.class)
@QuarkusTestResource(UpstreamServers.class)
class UndocumentedServicesTest {

    public static class WebhookWithoutDocument implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fetchsms.gateway.services.webhook.api-document", "false");
        }
    }

    @Test
    void theMergedDocumentLeavesOutServicesWithoutADocumentAndNeverAsksThem() {
        int dashboardAsked = UpstreamServers.openApiRequests("dashboard").get();
        Map<String, Object> paths = given().get("/openapi.json").then().statusCode(200)
                .contentType("application/json").extract().jsonPath().getMap("paths");
        assertEquals(Set.of("/v1/services", "/v1/services/quote", "/v1/admin/numbers/{number}", "/v1/wallet",
                "/v1/wallet/ledger", "/v1/sandbox/wallet", "/v1/sandbox/sms"), paths.keySet(),
                "the routed paths of the documented services, none of the dashboard's (/app…)");
        given().get("/openapi.yaml").then().statusCode(200).contentType(containsString("yaml"))
                .body(containsString("/v1/services/quote"));
        String page = given().get("/docs").then().statusCode(200).contentType(containsString("text/html"))
                .extract().asString();
        assertTrue(page.contains("/v1/wallet/ledger"), "the reference page renders the merged document");
        assertFalse(page.contains("GET /app") || page.contains("/app/verifications"),
                "no dashboard page in the API reference");
        assertEquals(dashboardAsked, UpstreamServers.openApiRequests("dashboard").get(),
                "the gateway asked the dashboard for a document");
    }

    @Test
    void theIndexAndEachDocumentLeaveThemOut() {
        Map<String, Object> documents = given().get("/openapi").then().statusCode(200).extract().jsonPath()
                .getMap("documents");
        assertEquals(List.of("catalog", "ledger", "rental", "sms-ingest", "verification", "wallet"),
                List.copyOf(documents.keySet()));
        for (String service : List.of("dashboard", "webhook")) {
            given().get("/openapi/" + service).then().statusCode(404).contentType("application/json")
                    .body("detail", equalTo("Not found"));
        }
    }

    @Test
    void theirRoutesAreProxiedAllTheSame() {
        given().get("/app/verifications").then().statusCode(200).header("X-Upstream", "dashboard")
                .body("path", equalTo("/app/verifications"));
        given().body("{}").when().post("/v1/webhooks").then().statusCode(503)
                .body("detail", equalTo("The webhook service is not available"));
    }
}
