package com.fetchsms.dashboard.domain;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of {@code POST /v1/rentals}; an absent area code is left out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RentalOrder(String service, int days, String areaCode) {
}
