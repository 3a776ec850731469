package com.fetchsms.common.purchase;

import java.util.Set;
import java.util.UUID;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.json.Params;

/**
 * A list request of a purchase product ({@code GET /v1/verifications}, {@code GET /v1/rentals}): the tab
 * ({@code active}, the default, or {@code history}), the cursor ({@code before}: the id of the last purchase seen)
 * and the page size ({@code limit}, 50 by default).
 */
public record PurchasePage(boolean active, UUID before, int limit) {

    static final int DEFAULT_LIMIT = 50;

    /** Reads the query parameters; a bad one answers 422 naming it. */
    static PurchasePage of(String tab, String before, String limit, int maxPageSize, String noun) {
        boolean active = "active".equals(Params.oneOf(tab, "tab", "active", Set.of("active", "history")));
        UUID cursor = cursor(before, "'before' must be the id of a " + noun);
        return new PurchasePage(active, cursor, Params.intInRange(limit, "limit", DEFAULT_LIMIT, 1, maxPageSize));
    }

    /** A {@code before} cursor: absent or blank is none; not an id is 422 with {@code detail}. */
    public static UUID cursor(String before, String detail) {
        if (before == null || before.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(before.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable(detail);
        }
    }
}
