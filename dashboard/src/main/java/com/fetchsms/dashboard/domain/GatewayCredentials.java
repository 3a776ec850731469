package com.fetchsms.dashboard.domain;

import java.time.Instant;

/** A gateway's token and signing key, in the only answers that carry them (registration and rotation). */
public record GatewayCredentials(String id, String name, String token, String signingKey, Instant createdAt) {
}
