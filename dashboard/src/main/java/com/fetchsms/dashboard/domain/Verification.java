package com.fetchsms.dashboard.domain;

import java.time.Instant;
import java.util.List;

/** A verification as the API shows it to its buyer; {@code number} as people write it. */
public record Verification(String id, String ref, String service, String serviceName, String number, boolean sandbox,
        String code, List<ReceivedCode> codes, boolean awaitingAnotherCode, String status, String cancelReason,
        String reportReason, Integer costCents, Instant createdAt, Instant expiresAt) {

    public boolean waiting() {
        return "waiting".equals(status);
    }

    public boolean received() {
        return "received".equals(status);
    }

    /** The window is open: a waiting verification may be cancelled or reported, a received one asked for another code. */
    public boolean open() {
        return expiresAt != null && Instant.now().isBefore(expiresAt);
    }

    public boolean canAskAnotherCode() {
        return received() && open() && !awaitingAnotherCode;
    }

    public boolean canCancel() {
        return waiting() && open();
    }

    /** Whether the page should keep listening: something can still happen to it. */
    public boolean live() {
        return open() && (waiting() || received());
    }
}
