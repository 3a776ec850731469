package com.fetchsms.verification;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** NUL and broken UTF-16 in a service reference are a 4xx naming the field, never a 500, and buy nothing. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class HostileTextTest {

    @Test
    void aServiceReferenceWithANulOrALoneSurrogateIsRefusedNamingTheFieldAndBuysNothing() {
        new Fixtures().withBalance(500).assertHostileServiceReferencesRefused("{\"service\": \"tele\\u0000gram\"}",
                "{\"service\": \"tele\\ud800gram\"}");
    }
}
