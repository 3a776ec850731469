package com.fetchsms.dashboard.domain;

import java.time.Instant;

/** A dashboard session issued by {@code POST /v1/auth/login}. */
public record SessionToken(String token, String tokenType, Instant expiresAt) {
}
