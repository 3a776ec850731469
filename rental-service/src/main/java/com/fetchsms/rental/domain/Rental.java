package com.fetchsms.rental.domain;

import com.fetchsms.common.purchase.PendingPurchase;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A rental as stored, including the saga's internal states ({@code pending}, {@code failed}). */
public record Rental(
        UUID id,
        String ref,
        UUID accountId,
        String serviceRef,
        int days,
        String areaCode,
        Integer serviceId,
        String service,
        String serviceName,
        String number,
        Integer costCents,
        String status,
        Integer failureStatus,
        String failureDetail,
        String lastCode,
        Instant lastCodeAt,
        List<String> servicesUsed,
        String idempotencyKey,
        String requestHash,
        Instant createdAt,
        Instant expiresAt) implements PendingPurchase {

    public static final String PENDING = "pending";
    /** Held and paid for, no code yet: the only status that may be cancelled (refunded). */
    public static final String WAITING = "waiting";
    /** At least one code arrived; the number keeps receiving every SMS until the term ends. */
    public static final String ACTIVE = "active";
    public static final String EXPIRED = "expired";
    public static final String CANCELLED = "cancelled";
    public static final String FAILED = "failed";

    public Rental {
        servicesUsed = servicesUsed == null ? List.of() : List.copyOf(servicesUsed);
    }

    /** Whether customers see it (the saga finished with a number). */
    public boolean visible() {
        return !PENDING.equals(status) && !FAILED.equals(status);
    }

    /** Whether any code ever arrived (decides the refund at the end of the term). */
    public boolean codeReceived() {
        return lastCode != null;
    }
}
