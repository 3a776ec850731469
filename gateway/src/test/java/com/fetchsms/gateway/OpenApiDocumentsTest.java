package com.fetchsms.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The services' OpenAPI documents, published by the gateway with exactly the routes it serves. */
@QuarkusTest
@QuarkusTestResource(UpstreamServers.class)
class OpenApiDocumentsTest {

    @Test
    void aServicesDocumentKeepsOnlyThePathsRoutedToIt() {
        JsonPath document = given().get("/openapi/catalog").then().statusCode(200)
                .contentType("application/json").header("X-Upstream", nullValue())
                .body("info.title", equalTo("FetchSMS catalog"))
                .body("x-query", equalTo("format=json"))
                .extract().jsonPath();
        Map<String, Object> paths = document.getMap("paths");
        assertEquals(List.of("/v1/services", "/v1/services/quote", "/v1/admin/numbers/{number}"),
                List.copyOf(paths.keySet()), "no /internal, no /q, nothing of another service");

        Map<String, Object> wallet = given().get("/openapi/wallet").then().statusCode(200).extract().jsonPath()
                .getMap("paths");
        assertEquals(List.of("/v1/wallet", "/v1/sandbox/wallet"), List.copyOf(wallet.keySet()),
                "/v1/wallet/ledger is ledger's route, /v1/sandbox/sms sms-ingest's");
        assertEquals(List.of("/v1/sandbox/sms"), List.copyOf(given().get("/openapi/sms-ingest").then()
                .statusCode(200).extract().jsonPath().getMap("paths").keySet()), "the sandbox's simulated SMS");
        assertEquals(List.of("/v1/wallet/ledger"), List.copyOf(given().get("/openapi/ledger").then()
                .statusCode(200).extract().jsonPath().getMap("paths").keySet()));
    }

    @Test
    void theIndexListsTheDocumentsOfTheRoutedServices() {
        Map<String, Object> documents = given().get("/openapi").then().statusCode(200)
                .contentType("application/json").extract().jsonPath().getMap("documents");
        assertEquals(List.of("catalog", "ledger", "rental", "sms-ingest", "verification", "wallet", "webhook"),
                List.copyOf(documents.keySet()),
                "not the service without routes, nor the dashboard (routed, but api-document=false)");
        assertEquals("/openapi/catalog", documents.get("catalog"));
    }

    @Test
    void unknownOrUnroutedServicesAreNotFoundAndADownServiceIs503() {
        given().get("/openapi/nope").then().statusCode(404).body("detail", equalTo("Not found"));
        given().get("/openapi/unrouted").then().statusCode(404).body("detail", equalTo("Not found"));
        given().get("/openapi/catalog/extra").then().statusCode(404).body("detail", equalTo("Not found"));
        given().get("/openapi/webhook").then().statusCode(503).contentType("application/json")
                .body("detail", equalTo("The webhook service is not available"));
    }

    @Test
    void aServiceWithoutAnApiDocumentIsNeitherPublishedNorAskedForOne() {
        int asked = UpstreamServers.openApiRequests("dashboard").get();
        int catalogAsked = UpstreamServers.openApiRequests("catalog").get();
        given().get("/openapi/dashboard").then().statusCode(404).contentType("application/json")
                .body("detail", equalTo("Not found"));
        for (String path : List.of("/openapi.json", "/openapi.yaml", "/docs")) {
            given().get(path).then().statusCode(503)
                    .body("detail", equalTo("The webhook service is not available"));
        }
        given().get("/openapi/catalog").then().statusCode(200);
        assertEquals(asked, UpstreamServers.openApiRequests("dashboard").get(), "the dashboard was asked");
        assertTrue(UpstreamServers.openApiRequests("catalog").get() > catalogAsked, "catalog was not asked");
        // its routes are proxied all the same
        given().get("/app/verifications").then().statusCode(200).header("X-Upstream", "dashboard");
    }

    @Test
    void theMergedDocumentIsRefusedWhenAServiceIsDownNeverPartial() {
        for (String path : List.of("/openapi.json", "/openapi.yaml", "/docs")) {
            given().get(path).then().statusCode(503).contentType("application/json")
                    .body("detail", equalTo("The webhook service is not available"));
        }
    }

    @Test
    void theReferencePagesStylesheetIsServedByTheGateway() {
        given().get("/docs/style.css").then().statusCode(200).contentType(containsString("text/css"))
                .header("X-Upstream", nullValue());
    }
}
