package com.fetchsms.ingest.domain;

import java.time.Instant;
import java.util.UUID;

/** A carrier modem gateway as the ingest pipeline sees it (no secrets). */
public record Gateway(UUID id, String name, int credentialVersion, Instant createdAt, Instant lastSeenAt) {
}
