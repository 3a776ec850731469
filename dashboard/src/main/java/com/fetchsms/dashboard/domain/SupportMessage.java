package com.fetchsms.dashboard.domain;

import java.time.Instant;

/** One message of a support ticket: written by the customer or by an operator. */
public record SupportMessage(String id, String author, String body, Instant createdAt) {

    public boolean fromOperator() {
        return "operator".equals(author);
    }
}
