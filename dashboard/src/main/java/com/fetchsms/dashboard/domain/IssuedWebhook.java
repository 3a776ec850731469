package com.fetchsms.dashboard.domain;

import java.time.Instant;
import java.util.List;

/** An endpoint just registered: the only answer that carries its signing {@code secret}. */
public record IssuedWebhook(String id, String url, List<String> events, String secret, Instant createdAt) {
}
