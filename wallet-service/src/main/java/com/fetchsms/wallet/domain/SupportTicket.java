package com.fetchsms.wallet.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A support ticket: {@code open} (waiting for an operator), {@code answered} (waiting for the customer) or
 * {@code closed}. {@code email} is the customer's; {@code messages}, oldest first, only in the answer about one ticket
 * (null in lists).
 */
@Schema(name = "SupportTicket", description = "A support ticket and, in the answer about one ticket, its conversation")
public record SupportTicket(
        UUID id,
        @Schema(description = "1 to 200 characters") String subject,
        @Schema(description = "open (waiting for an operator), answered (waiting for the customer) or closed (a "
                + "reply is refused: open a new ticket)", enumeration = {
                        SupportTicket.OPEN, SupportTicket.ANSWERED,
                        SupportTicket.CLOSED}) String status,
        @Schema(description = "The customer's account") UUID accountId,
        @Schema(description = "The customer's email") String email,
        Instant createdAt,
        @Schema(description = "The ticket's last change: its last message, or its closing") Instant updatedAt,
        @Schema(description = "The conversation, oldest first; null in lists", nullable = true) List<SupportMessage> messages){

    public static final String OPEN = "open";
    public static final String ANSWERED = "answered";
    public static final String CLOSED = "closed";

    /** This ticket with its conversation. */
    public SupportTicket withMessages(List<SupportMessage> conversation) {
        return new SupportTicket(id, subject, status, accountId, email, createdAt, updatedAt, conversation);
    }
}
