package com.fetchsms.webhook.domain;

import java.time.Instant;
import java.util.UUID;

/** One delivery in an endpoint's log. {@code next_attempt_at} is null once delivered or failed. */
public record DeliveryView(UUID id, String event, String status, int attempts, Integer lastStatusCode,
        String lastError, Instant nextAttemptAt, Instant createdAt) {
}
