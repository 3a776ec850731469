package com.fetchsms.dashboard.rest;

import java.util.UUID;

import com.fetchsms.dashboard.client.ApiError;

/** Ids taken from addresses and forms: only well-formed UUIDs travel on to the API. */
final class Ids {

    private Ids() {
    }

    /** {@code value} as a UUID string; 404 (as the API would answer) when it is not one. */
    static String uuid(String value) {
        try {
            return UUID.fromString(value).toString();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ApiError(404, "Not found");
        }
    }

    /** A paging cursor: a UUID, or {@code null} (the first page) for anything else. */
    static String orNull(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code value} when it is a UUID, else {@code fallback}. */
    static String uuidOr(String value, String fallback) {
        String id = orNull(value);
        return id == null ? fallback : id;
    }
}
