package com.fetchsms.catalog.domain;

import java.time.Instant;
import java.util.UUID;

/** A number of the inventory, as administrators see it. */
public record PhoneNumber(
        String number,
        String display,
        String areaCode,
        UUID gatewayId,
        String state,
        boolean pristine,
        int activeReservations,
        Instant createdAt,
        Instant retiredAt) {

    public static final String AVAILABLE = "available";
    public static final String RENTED = "rented";
    public static final String RETIRED = "retired";
    /** A sandbox number: given only to test keys' purchases, never part of the live inventory. */
    public static final String SANDBOX = com.fetchsms.common.sandbox.Sandbox.NUMBER_STATE;
}
