package com.fetchsms.dashboard.domain;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of {@code POST /v1/verifications}; an absent area code or cap is left out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerificationOrder(String service, String areaCode, Integer maxPriceCents) {
}
