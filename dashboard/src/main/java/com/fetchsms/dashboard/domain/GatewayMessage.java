package com.fetchsms.dashboard.domain;

import java.time.Instant;

/** One SMS a gateway reported, with what detection made of it (never the body or the code). */
public record GatewayMessage(String id, String to, String toDisplay, String from, Instant receivedAt,
        String detectedService, boolean codeFound, boolean duplicate, String outcome) {
}
