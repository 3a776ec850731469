package com.fetchsms.dashboard.domain;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The optional body of a report: why the number did not work. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Report(String reason) {
}
