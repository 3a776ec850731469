package com.fetchsms.webhook.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The answer of {@code POST /v1/webhooks}: the only time the secret is shown. */
public record CreatedEndpoint(UUID id, String url, List<String> events, String secret, Instant createdAt) {
}
