package com.fetchsms.wallet.domain;

import java.time.Instant;
import java.util.UUID;

/** An account with its password hash: never leaves the service. */
public record Credentials(UUID id, String email, String role, String passwordHash, Instant createdAt) {

    public Account account() {
        return new Account(id, email, role, createdAt);
    }
}
