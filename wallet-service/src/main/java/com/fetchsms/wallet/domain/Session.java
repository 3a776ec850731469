package com.fetchsms.wallet.domain;

import java.time.Instant;

/** A dashboard session token, the answer of {@code POST /v1/auth/login}. */
public record Session(String token, String tokenType, Instant expiresAt) {

    public static Session bearer(String token, Instant expiresAt) {
        return new Session(token, "Bearer", expiresAt);
    }
}
