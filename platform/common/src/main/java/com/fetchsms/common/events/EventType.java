package com.fetchsms.common.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every event of the platform, with the topic it travels on, its CloudEvents type ({@code ce_type}, versioned) and the
 * one payload schema for it. Producers and consumers use this table; nothing else names a topic or a type.
 *
 * <p>
 * A breaking change to a payload is a new type ({@code ….v2}) published next to the old one until every consumer has
 * moved; additive changes (a new optional field) keep the version.
 */
public enum EventType {

    SMS_INBOUND(Topics.SMS_INBOUND, "fetchsms.sms.inbound.v1", SmsInbound.class),
    /** On the SMS topic too, sent to each partition by sms-ingest's relay: how far that partition is complete. */
    SMS_ARRIVAL_WATERMARK(Topics.SMS_INBOUND, "fetchsms.sms.arrival-watermark.v1", SmsArrivalWatermark.class),
    VERIFICATION_RECEIVED(Topics.VERIFICATION_RECEIVED, "fetchsms.verification.received.v1",
            VerificationReceived.class),
    VERIFICATION_EXPIRED(Topics.VERIFICATION_EXPIRED, "fetchsms.verification.expired.v1", VerificationExpired.class),
    VERIFICATION_CANCELLED(Topics.VERIFICATION_CANCELLED, "fetchsms.verification.cancelled.v1",
            VerificationCancelled.class),
    RENTAL_MESSAGE(Topics.RENTAL_MESSAGE, "fetchsms.rental.message.v1", RentalMessage.class),
    RENTAL_EXPIRED(Topics.RENTAL_EXPIRED, "fetchsms.rental.expired.v1", RentalExpired.class),
    RENTAL_CANCELLED(Topics.RENTAL_CANCELLED, "fetchsms.rental.cancelled.v1", RentalCancelled.class),
    INVENTORY_NUMBER_CHANGED(Topics.INVENTORY_NUMBERS, "fetchsms.inventory.number-changed.v1",
            InventoryNumberChanged.class),
    API_KEY_CHANGED(Topics.API_KEY_CHANGED, "fetchsms.api-key.changed.v1", ApiKeyChanged.class),
    /** On the key topic too: the services' one credential view hears key changes and sign-outs in order. */
    SESSION_REVOKED(Topics.API_KEY_CHANGED, "fetchsms.session.revoked.v1", SessionRevoked.class),
    WALLET_DEBITED(Topics.WALLET_DEBITED, "fetchsms.wallet.debited.v1", WalletDebited.class),
    WALLET_REFUNDED(Topics.WALLET_REFUNDED, "fetchsms.wallet.refunded.v1", WalletRefunded.class);

    private final String topic;
    private final String type;
    private final Class<?> payloadType;

    EventType(String topic, String type, Class<?> payloadType) {
        this.topic = topic;
        this.type = type;
        this.payloadType = payloadType;
    }

    public String topic() {
        return topic;
    }

    /** The CloudEvents {@code type}, e.g. {@code fetchsms.verification.expired.v1}. */
    public String type() {
        return type;
    }

    public Class<?> payloadType() {
        return payloadType;
    }

    public static Optional<EventType> ofType(String type) {
        return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
    }

    public static EventType of(Class<?> payloadType) {
        return Arrays.stream(values()).filter(t -> t.payloadType.equals(payloadType)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No event type for " + payloadType.getSimpleName()));
    }
}
