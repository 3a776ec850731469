package com.fetchsms.dashboard.domain;

/** The body of a reply to a ticket. */
public record TicketReply(String body) {
}
