package com.fetchsms.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The service's OpenAPI document describes the native ingest bodies as the typed record, not as any JSON. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class NativeMessageSchemaTest {

    @Test
    void theNativeRoutesDocumentTheMessageRecordWithItsSnakeCaseFields() throws Exception {
        JsonNode document = new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().asString());
        JsonNode paths = document.path("paths");
        assertEquals("#/components/schemas/NativeMessage", paths.path("/v1/ingest/messages").path("post")
                .path("requestBody").path("content").path("application/json").path("schema").path("$ref").asText());
        JsonNode batch = paths.path("/v1/ingest/messages/batch").path("post").path("requestBody").path("content")
                .path("application/json").path("schema");
        assertEquals("array", batch.path("type").asText(), batch.toString());
        assertEquals("#/components/schemas/NativeMessage", batch.path("items").path("$ref").asText());

        JsonNode message = document.path("components").path("schemas").path("NativeMessage");
        Set<String> fields = new TreeSet<>();
        message.path("properties").fieldNames().forEachRemaining(fields::add);
        assertEquals(Set.of("gateway_message_id", "to", "from", "text", "text_ucs2", "received_at", "udh"), fields);
        assertFalse(message.path("properties").path("to").path("description").asText().isEmpty());
        assertEquals("date-time", message.path("properties").path("received_at").path("format").asText());
        assertTrue(message.path("properties").path("udh").path("pattern").asText().contains("0-9A-Fa-f"));
        assertFalse(document.path("components").path("schemas").has("JsonNode"), "no body is any JSON");
    }
}
