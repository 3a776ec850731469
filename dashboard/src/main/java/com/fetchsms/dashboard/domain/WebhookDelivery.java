package com.fetchsms.dashboard.domain;

import java.time.Instant;

/** One delivery of an event to an endpoint: {@code pending}, {@code delivered} or {@code failed}. */
public record WebhookDelivery(String id, String event, String status, int attempts, Integer lastStatusCode,
        String lastError, Instant nextAttemptAt, Instant createdAt) {
}
