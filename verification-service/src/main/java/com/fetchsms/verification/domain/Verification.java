package com.fetchsms.verification.domain;

import com.fetchsms.common.purchase.PendingPurchase;

import java.time.Instant;
import java.util.UUID;

/** A verification as stored, including the saga's internal states ({@code pending}, {@code failed}). */
public record Verification(
        UUID id,
        String ref,
        UUID accountId,
        String serviceRef,
        String areaCode,
        Integer serviceId,
        String service,
        String serviceName,
        String number,
        Integer costCents,
        String status,
        Integer failureStatus,
        String failureDetail,
        String code,
        String sender,
        Instant receivedAt,
        String idempotencyKey,
        String requestHash,
        Instant createdAt,
        Instant expiresAt) implements PendingPurchase {

    public static final String PENDING = "pending";
    public static final String WAITING = "waiting";
    public static final String RECEIVED = "received";
    public static final String EXPIRED = "expired";
    public static final String CANCELLED = "cancelled";
    public static final String FAILED = "failed";

    /** Whether customers see it (the saga finished with a number). */
    public boolean visible() {
        return !PENDING.equals(status) && !FAILED.equals(status);
    }
}
