package com.fetchsms.rental.domain;

import java.time.Instant;
import java.util.UUID;

/** A message of {@code GET /v1/rentals/{id}/messages}, as the API reference shows it. */
public record SmsView(UUID id, String sender, String body, String code, Instant receivedAt) {

    public static SmsView of(Sms sms) {
        return new SmsView(sms.id(), sms.sender(), sms.body(), sms.code(), sms.receivedAt());
    }
}
