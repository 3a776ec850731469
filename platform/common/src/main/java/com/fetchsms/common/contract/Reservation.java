package com.fetchsms.common.contract;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A number held for one purchase (a verification or a rental), with the price of that purchase: catalog-service's
 * answer to a reservation, and its own record of it. {@code sandbox}: the number is a sandbox number, held for a test
 * key's purchase (written only when true; a catalog that does not know the sandbox never writes it).
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
        Instant endedAt,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean sandbox) {

    /** Absent (or null) is false: the field is written only when true. Never null. */
    public Reservation {
        sandbox = Boolean.TRUE.equals(sandbox);
    }
}
