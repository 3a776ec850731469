package com.fetchsms.common.messaging;

import java.time.Instant;

import com.fetchsms.common.events.EventPayload;
import com.fetchsms.common.events.EventType;

/**
 * An event as a consumer sees it: the CloudEvents attributes from the Kafka headers and the decoded payload.
 *
 * @param id the {@code ce_id}; the idempotency key of every consumer
 */
public record EventEnvelope(String id, EventType type, String source, Instant time, String key,
        EventPayload payload) {
}
