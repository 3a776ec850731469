package com.fetchsms.catalog.domain;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What an import ({@code POST /v1/admin/numbers}, field {@code invalid}) does with entries that are not US numbers:
 * {@code refuse} the whole request (the default), or {@code skip} them, import the others and list them in the
 * answer as given.
 */
public enum InvalidNumbers {
    REFUSE("refuse"),
    SKIP("skip");

    private final String code;

    InvalidNumbers(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }
}
