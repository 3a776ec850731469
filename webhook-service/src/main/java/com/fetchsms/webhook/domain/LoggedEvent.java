package com.fetchsms.webhook.domain;

import java.time.Instant;

/**
 * An event as the account's log holds it: its id on the stream ({@code seq}), its type, its data, and when the
 * platform event behind it was written at its source ({@code ce_time}).
 */
public record LoggedEvent(long seq, String type, String data, Instant occurredAt) {
}
