package com.fetchsms.dashboard.domain;

import java.time.Instant;

/** The signed-in account ({@code GET /v1/account}). */
public record Account(String id, String email, String role, Instant createdAt) {

    public boolean admin() {
        return "admin".equals(role);
    }
}
