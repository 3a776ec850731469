package com.fetchsms.ingest.domain;

import java.time.Instant;
import java.util.UUID;

import com.fetchsms.common.sandbox.Sandbox;

/**
 * A carrier modem gateway as the ingest pipeline sees it (no secrets), or {@link #SANDBOX}, the gateway of the
 * sandbox's simulated SMS.
 */
public record Gateway(UUID id, String name, int credentialVersion, Instant createdAt, Instant lastSeenAt) {

    /**
     * The sandbox's gateway ({@link Sandbox#GATEWAY_ID}): what {@code POST /v1/sandbox/sms} reports as. It serves only
     * sandbox numbers, and only it serves them; no credential authenticates as it (migration V2).
     */
    public static final Gateway SANDBOX = new Gateway(Sandbox.GATEWAY_ID, "sandbox", 1, Instant.EPOCH, null);

    public boolean sandbox() {
        return Sandbox.GATEWAY_ID.equals(id);
    }
}
