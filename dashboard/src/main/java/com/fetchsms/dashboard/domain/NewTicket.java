package com.fetchsms.dashboard.domain;

/** The body of {@code POST /v1/support/tickets}. */
public record NewTicket(String subject, String body) {
}
