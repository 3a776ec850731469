package com.fetchsms.common.contract;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

/** {@code POST /internal/numbers/lookup} (catalog-service): which gateway serves each of these numbers. */
public record NumberLookupRequest(
        @NotEmpty(message = "must list at least one number") @Size(max = NumberLookupRequest.MAX_NUMBERS, message = "lists more than {max} numbers") List<@NotBlank String> numbers) {

    /** Most numbers in one look-up (a full ingest batch holds 500). */
    public static final int MAX_NUMBERS = 1000;
}
