package com.fetchsms.catalog.domain;

import java.time.Instant;
import java.util.UUID;

/** A number held for one purchase (a verification or a rental), with the price of that purchase. */
public record Reservation(
        UUID id,
        UUID purchaseId,
        String number,
        String display,
        int serviceId,
        String service,
        String serviceName,
        String mode,
        Integer days,
        String areaCode,
        int priceCents,
        String status,
        Instant createdAt,
        Instant endedAt) {

    public static final String ACTIVE = "active";
    public static final String COMPLETED = "completed";
    public static final String RELEASED = "released";
}
