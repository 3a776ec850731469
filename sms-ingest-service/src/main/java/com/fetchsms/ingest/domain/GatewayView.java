package com.fetchsms.ingest.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code GET /v1/admin/gateways}: a gateway with its last-seen time and counts (numbers it serves now, SMS accepted,
 * those of them accepted in the last 60 minutes, duplicates acknowledged, items rejected for numbers it does not
 * serve).
 */
public record GatewayView(
        UUID id,
        String name,
        String tokenPrefix,
        Instant createdAt,
        Instant lastSeenAt,
        long numbers,
        long messages,
        long messagesLastHour,
        long duplicates,
        long rejected) {
}
