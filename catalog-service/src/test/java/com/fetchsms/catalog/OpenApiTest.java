package com.fetchsms.catalog;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The service's OpenAPI document describes its public routes and leaves the internal API out. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class OpenApiTest {

    @Test
    void theDocumentHasThePublicRoutesAndNoInternalOnes() {
        Map<String, Object> paths = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath().getMap("paths");
        assertTrue(paths.containsKey("/v1/services"), paths.keySet().toString());
        assertTrue(paths.containsKey("/v1/services/quote"), paths.keySet().toString());
        assertTrue(paths.containsKey("/v1/admin/numbers"), paths.keySet().toString());
        assertFalse(paths.keySet().stream().anyMatch(p -> p.startsWith("/internal")), paths.keySet().toString());
        assertFalse(paths.keySet().stream().anyMatch(p -> p.startsWith("/q/")), paths.keySet().toString());
    }

    @Test
    void theImportDocumentsItsInvalidOptionAndTheInvalidEntriesOfItsAnswer() {
        JsonPath openApi = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
                .jsonPath();
        assertEquals(List.of("refuse", "skip"), openApi.getList("components.schemas.InvalidNumbers.enum"),
                String.valueOf(openApi.getMap("components.schemas")));
        assertEquals("#/components/schemas/InvalidNumbers",
                openApi.getString("components.schemas.NumberImport.properties.invalid.'$ref'"),
                String.valueOf(openApi.getMap("components.schemas.NumberImport")));
        assertEquals(List.of("added", "skipped", "invalid"),
                new ArrayList<>(openApi.getMap("components.schemas.ImportResult.properties").keySet()));
    }
}
