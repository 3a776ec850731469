package com.fetchsms.common.error;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The only error body the platform sends: {@code {"detail": "…"}}, and {@code price_cents} next to it only when a
 * purchase was refused for its price cap ({@code max_price_cents}: the current price, in cents).
 */
public record ErrorBody(
        String detail,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Only on the 409 of a purchase refused for its max_price_cents: the current price, in cents", nullable = true) Integer priceCents) {

    public ErrorBody(String detail) {
        this(detail, null);
    }
}
