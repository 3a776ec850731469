package com.fetchsms.verification.domain;

import java.time.Instant;

/** One code a verification received: the code, its sender and when the carrier received it. */
public record VerificationCode(String code, String sender, Instant receivedAt) {
}
