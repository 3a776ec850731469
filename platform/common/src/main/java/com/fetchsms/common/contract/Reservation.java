package com.fetchsms.common.contract;

import java.time.Instant;
import java.util.UUID;

/**
 * A number held for one purchase (a verification or a rental), with the price of that purchase: catalog-service's
 * answer to a reservation, and its own record of it.
 */
public record Reservation(
        UUID id,
        UUID purchaseId,
        String number,
        String display,
        int serviceId,
        String service,
        String serviceName,
        PurchaseMode mode,
        Integer days,
        String areaCode,
        int priceCents,
        ReservationStatus status,
        Instant createdAt,
        Instant endedAt) {
}
