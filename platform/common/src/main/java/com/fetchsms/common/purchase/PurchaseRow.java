package com.fetchsms.common.purchase;

import java.time.Instant;
import java.util.UUID;

import io.vertx.mutiny.sqlclient.Row;

/**
 * The columns every purchase table has (V1 of verification-service and rental-service, and the shared migrations of
 * {@code db/purchase}), as read from a row.
 */
public record PurchaseRow(UUID id, String ref, UUID accountId, String serviceRef, String areaCode, Integer serviceId,
        String service, String serviceName, String number, Integer costCents, String status, Integer failureStatus,
        String failureDetail, String idempotencyKey, String requestHash, Instant createdAt, Instant expiresAt,
        Integer maxPriceCents, Integer failurePriceCents, String cancelReason, String reportReason, boolean sandbox) {

    public static PurchaseRow of(Row row) {
        return new PurchaseRow(row.getUUID("id"), row.getString("ref"), row.getUUID("account_id"),
                row.getString("service_ref"), row.getString("area_code"), row.getInteger("service_id"),
                row.getString("service"), row.getString("service_name"), row.getString("number"),
                row.getInteger("cost_cents"), row.getString("status"), row.getInteger("failure_status"),
                row.getString("failure_detail"), row.getString("idempotency_key"), row.getString("request_hash"),
                instant(row, "created_at"), instant(row, "expires_at"), row.getInteger("max_price_cents"),
                row.getInteger("failure_price_cents"), row.getString("cancel_reason"),
                row.getString("report_reason"), row.getBoolean("sandbox"));
    }

    /** A {@code TIMESTAMPTZ} column as an instant ({@code null} stays {@code null}). */
    public static Instant instant(Row row, String column) {
        var value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
