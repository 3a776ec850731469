package com.fetchsms.common.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.junit.jupiter.api.Test;

class PublicRoutesFilterTest {

    @Test
    void theInternalApiAndQuarkusPathsArePrivate() {
        assertTrue(PublicRoutesFilter.isPrivate("/internal"));
        assertTrue(PublicRoutesFilter.isPrivate("/internal/reservations/{purchaseId}/release"));
        assertTrue(PublicRoutesFilter.isPrivate("/q/health"));
    }

    @Test
    void publicRoutesStayEvenWhenTheirNameStartsAlike() {
        assertFalse(PublicRoutesFilter.isPrivate("/v1/verifications"));
        assertFalse(PublicRoutesFilter.isPrivate("/v1/admin/numbers/{number}"));
        assertFalse(PublicRoutesFilter.isPrivate("/internals"));
        assertFalse(PublicRoutesFilter.isPrivate("/quote"));
    }

    @Test
    void aJsonNodeIsAnyJsonValueAndPrivatePathsGo() {
        OpenAPI document = OASFactory.createOpenAPI()
                .paths(OASFactory.createPaths()
                        .addPathItem("/v1/webhooks", OASFactory.createPathItem())
                        .addPathItem("/internal/debits", OASFactory.createPathItem())
                        .addPathItem("/q/health", OASFactory.createPathItem()))
                .components(OASFactory.createComponents()
                        .addSchema("JsonNode", OASFactory.createSchema().addProperty("array",
                                OASFactory.createSchema().addType(Schema.SchemaType.BOOLEAN)))
                        .addSchema("JsonNodeType", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                        .addSchema("Endpoint", OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)));
        new PublicRoutesFilter().filterOpenAPI(document);
        assertEquals(Set.of("/v1/webhooks"), document.getPaths().getPathItems().keySet());
        assertEquals(Set.of("JsonNode", "Endpoint"), document.getComponents().getSchemas().keySet());
        Schema node = document.getComponents().getSchemas().get("JsonNode");
        assertTrue(node.getProperties() == null || node.getProperties().isEmpty(), "no bean properties");
        assertTrue(node.getType() == null || node.getType().isEmpty(), "any type");
    }
}
