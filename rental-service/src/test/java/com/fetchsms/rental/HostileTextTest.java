package com.fetchsms.rental;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** NUL and broken UTF-16 in a service reference are a 4xx naming the field, never a 500, and rent nothing. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class HostileTextTest {

    @Test
    void aServiceReferenceWithANulOrALoneSurrogateIsRefusedNamingTheFieldAndRentsNothing() {
        long held = Fixtures.heldNumbers();
        new Fixtures().withBalance(10_000).assertHostileServiceReferencesRefused(
                "{\"service\": \"unlimited\\u0000services\", \"days\": 30}",
                "{\"service\": \"unlimited\\udc00\", \"days\": 30}");
        assertEquals(held, Fixtures.heldNumbers(), "no number is held");
    }
}
