package com.fetchsms.webhook.domain;

import java.util.UUID;

/**
 * An event to deliver to an account's endpoints subscribed to it: the account, the event's name ({@link WebhookEvents})
 * and its payload (the exact bytes signed and sent).
 */
public record AccountWebhook(UUID accountId, String event, String payload) {
}
