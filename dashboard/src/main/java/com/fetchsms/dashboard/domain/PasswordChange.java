package com.fetchsms.dashboard.domain;

/** The body of {@code POST /v1/account/password}. */
public record PasswordChange(String currentPassword, String newPassword) {
}
