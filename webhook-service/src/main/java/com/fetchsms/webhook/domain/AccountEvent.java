package com.fetchsms.webhook.domain;

import java.util.UUID;

/**
 * An event of an account's stream: its type ({@link StreamEvents}) and its data (one line of JSON, snake_case, as the
 * webhooks spell it).
 */
public record AccountEvent(UUID accountId, String type, String data) {
}
