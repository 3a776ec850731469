package com.fetchsms.dashboard.domain;

/** The body of {@code POST /v1/admin/gateways}. */
public record GatewayName(String name) {
}
