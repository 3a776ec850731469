package com.fetchsms.dashboard.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import com.fetchsms.dashboard.client.ApiError;

/** Only well-formed UUIDs from addresses and forms travel on to the API. */
class IdsTest {

    private static final String ID = "0b6f1e2a-9c3d-4e5f-8a7b-1c2d3e4f5a6b";
    private static final String[] NOT_IDS = {"abc", "", " ", ID + "0", ID + "/cancel", "../" + ID, ID.replace('-', '_'),
            "0b6f1e2a9c3d4e5f8a7b1c2d3e4f5a6b"};

    @Test
    void aUuidTravelsOnInItsCanonicalForm() {
        assertEquals(ID, Ids.uuid(ID));
        assertEquals(ID, Ids.uuid(ID.toUpperCase()));
    }

    @Test
    void anythingElseInAnAddressIsNotFound() {
        for (String notAnId : NOT_IDS) {
            ApiError error = assertThrows(ApiError.class, () -> Ids.uuid(notAnId), notAnId);
            assertEquals(404, error.status());
            assertEquals("Not found", error.detail());
        }
        assertEquals(404, assertThrows(ApiError.class, () -> Ids.uuid(null)).status());
    }

    @Test
    void aPagingCursorIsAUuidOrTheFirstPage() {
        assertEquals(ID, Ids.orNull(ID));
        assertEquals(ID, Ids.orNull(ID.toUpperCase()));
        for (String notAnId : NOT_IDS) {
            assertNull(Ids.orNull(notAnId), notAnId);
        }
        assertNull(Ids.orNull(null));
    }

    @Test
    void aRequestIdIsTheFormsUuidOrTheFallback() {
        assertEquals(ID, Ids.uuidOr(ID, "fallback"));
        for (String notAnId : NOT_IDS) {
            assertEquals("fallback", Ids.uuidOr(notAnId, "fallback"), notAnId);
        }
        assertEquals("fallback", Ids.uuidOr(null, "fallback"));
    }
}
