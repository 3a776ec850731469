package com.fetchsms.dashboard.domain;

import java.time.Instant;

/** One code a verification received. */
public record ReceivedCode(String code, String sender, Instant receivedAt) {
}
