package com.fetchsms.common.openapi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
