package com.fetchsms.dashboard.domain;

/** The body of {@code POST /v1/api-keys}. */
public record NewApiKey(String name, String mode) {
}
