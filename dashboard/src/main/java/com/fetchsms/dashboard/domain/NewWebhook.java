package com.fetchsms.dashboard.domain;

import java.util.List;

/** The body of {@code POST /v1/webhooks}. */
public record NewWebhook(String url, List<String> events) {
}
