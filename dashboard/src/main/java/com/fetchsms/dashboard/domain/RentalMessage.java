package com.fetchsms.dashboard.domain;

import java.time.Instant;

/** One SMS of a rental's term: its renter sees the whole message. */
public record RentalMessage(String id, String sender, String body, String code, Instant receivedAt) {
}
