package com.fetchsms.dashboard.domain;

import java.time.Duration;
import java.time.Instant;

/** A rental as the API shows it to its renter; {@code number} as people write it. */
public record Rental(String id, String ref, String service, String serviceName, String number, boolean sandbox,
        int durationDays, String lastCode, String status, String cancelReason, String reportReason,
        Integer costCents, Instant createdAt, Instant expiresAt) {

    /** How long after the purchase a rental that received nothing may still be reported (decision 0021). */
    public static final Duration REPORT_WINDOW = Duration.ofHours(1);

    public boolean waiting() {
        return "waiting".equals(status);
    }

    /** Whether messages can still arrive: waiting or active, within its term. */
    public boolean live() {
        return ("waiting".equals(status) || "active".equals(status)) && expiresAt != null
                && Instant.now().isBefore(expiresAt);
    }

    /** A rental that received nothing may be cancelled (refunded) within its term. */
    public boolean canCancel() {
        return waiting() && live();
    }

    /** A rental that received nothing may be reported in its first hour. */
    public boolean canReport() {
        return canCancel() && createdAt != null && Instant.now().isBefore(createdAt.plus(REPORT_WINDOW));
    }
}
