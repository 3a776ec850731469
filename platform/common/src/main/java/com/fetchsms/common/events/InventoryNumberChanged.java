package com.fetchsms.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * The current state of one phone number of the inventory. Key: {@code number} (E.164); the topic is compacted, so the
 * newest event per number is its state. {@code state} is {@code available}, {@code rented}, {@code retired} or
 * {@code sandbox} (a sandbox number, under {@code Sandbox.GATEWAY_ID}, published once when catalog-service stocks it).
 * Consumer: sms-ingest (which gateway may report SMS for which number).
 */
public record InventoryNumberChanged(
        String number,
        String areaCode,
        UUID gatewayId,
        String state,
        Instant changedAt) implements EventPayload {

    @Override
    public String key() {
        return number;
    }
}
