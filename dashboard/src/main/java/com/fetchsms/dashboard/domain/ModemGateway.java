package com.fetchsms.dashboard.domain;

import java.time.Instant;

/** A modem gateway with its counters ({@code GET /v1/admin/gateways}). */
public record ModemGateway(String id, String name, String tokenPrefix, Instant createdAt, Instant lastSeenAt,
        long numbers, long messages, long duplicates, long rejected, Long messagesLastHour) {
}
