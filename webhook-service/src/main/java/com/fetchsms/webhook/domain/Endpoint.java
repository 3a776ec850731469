package com.fetchsms.webhook.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A customer's webhook endpoint as the API shows it (never the secret). */
public record Endpoint(UUID id, String url, List<String> events, String status, String disabledReason,
        Instant createdAt) {
}
