package com.fetchsms.ingest.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A gateway with its credentials, answered once (creation, rotation): {@code token} authenticates the native, Kannel,
 * Jasmin and Gammu routes; {@code signing_key} is the HMAC key to enter in android-sms-gateway's webhook settings.
 * Neither is stored: the token as a SHA-256 hash only, the signing key not at all (it is derived again).
 */
public record IssuedGateway(UUID id, String name, String token, String signingKey, Instant createdAt) {
}
