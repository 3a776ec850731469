package com.fetchsms.dashboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which input of a form an API refusal belongs to (the API writes a field as {@code 'name'}). */
class ApiErrorTest {

    private static final List<String> FIELDS = List.of("email", "password");

    @Test
    void theFieldTheDetailNamesInQuotes() {
        assertEquals("email", new ApiError(422, "'email' is not an email address").field(FIELDS));
        assertEquals("password", new ApiError(422, "'password' must be at least 10 characters").field(FIELDS));
    }

    @Test
    void theNameIsFoundWhateverItsCase() {
        assertEquals("email", new ApiError(409, "An account with this 'EMAIL' exists").field(FIELDS));
    }

    @Test
    void aDetailNamingNoFieldBelongsToTheWholeForm() {
        assertNull(new ApiError(401, "Invalid email or password").field(FIELDS), "names without quotes");
        assertNull(new ApiError(422, "'name' is required").field(FIELDS));
        assertNull(new ApiError(500, "").field(FIELDS));
        assertNull(new ApiError(502, null).field(FIELDS));
        assertNull(new ApiError(422, "'email' is wrong").field(List.of()));
    }

    @Test
    void onlyTheWholeQuotedNameCounts() {
        List<String> fields = List.of("amount", "method");
        assertNull(new ApiError(422, "'amount_cents' must be at least 100").field(fields));
        assertEquals("amount_cents",
                new ApiError(422, "'amount_cents' must be at least 100").field(List.of("amount_cents", "method")));
    }

    @Test
    void statusAndDetailAreKept() {
        ApiError error = new ApiError(409, "Already cancelled");
        assertEquals(409, error.status());
        assertEquals("Already cancelled", error.detail());
        assertEquals("409 Already cancelled", error.getMessage());
    }
}
