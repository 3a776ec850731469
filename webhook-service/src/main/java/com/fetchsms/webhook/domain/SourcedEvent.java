package com.fetchsms.webhook.domain;

import java.time.Instant;

/**
 * An account event to append to its log: its stream form, the {@code ce_id} of the platform event it comes from (the
 * log holds each once) and that event's {@code ce_time}.
 */
public record SourcedEvent(AccountEvent event, String sourceEventId, Instant occurredAt) {
}
