package com.fetchsms.wallet.domain;

import java.time.Instant;
import java.util.UUID;

/** An account as its owner (and the signup answer) sees it. */
public record Account(UUID id, String email, String role, Instant createdAt) {

    public static final String USER = "user";
    public static final String ADMIN = "admin";
}
