package com.fetchsms.dashboard.domain;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of {@code PUT /v1/admin/services/{id}}; what is null stays as it is. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceChange(String name, Integer priceCents, Boolean active) {
}
