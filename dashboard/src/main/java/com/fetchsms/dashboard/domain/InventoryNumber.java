package com.fetchsms.dashboard.domain;

import java.time.Instant;

/** A number of the inventory ({@code GET /v1/admin/numbers}). */
public record InventoryNumber(String number, String display, String areaCode, String gatewayId, String state,
        boolean pristine, int activeReservations, Instant createdAt, Instant retiredAt) {
}
