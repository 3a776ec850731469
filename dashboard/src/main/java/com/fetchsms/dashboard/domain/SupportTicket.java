package com.fetchsms.dashboard.domain;

import java.time.Instant;
import java.util.List;

/**
 * A support ticket: {@code open} (waiting for an operator), {@code answered} (waiting for the customer) or
 * {@code closed}. {@code email} is the customer's (operators' views); {@code messages}, oldest first, only on one
 * ticket.
 */
public record SupportTicket(String id, String subject, String status, String accountId, String email,
        Instant createdAt, Instant updatedAt, List<SupportMessage> messages) {

    public boolean closed() {
        return "closed".equals(status);
    }
}
