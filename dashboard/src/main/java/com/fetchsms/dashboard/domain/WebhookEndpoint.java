package com.fetchsms.dashboard.domain;

import java.time.Instant;
import java.util.List;

/** A webhook endpoint as listed (never its secret). */
public record WebhookEndpoint(String id, String url, List<String> events, String status, String disabledReason,
        Instant createdAt) {
}
