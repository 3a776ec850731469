package com.fetchsms.common.events;

/** Kafka topic names (ARCHITECTURE.md, "Topics"). Keys are documented on each payload. */
public final class Topics {

    public static final String SMS_INBOUND = "sms.inbound";
    public static final String WALLET_DEBITED = "wallet.debited";
    public static final String WALLET_REFUNDED = "wallet.refunded";
    public static final String VERIFICATION_RECEIVED = "verification.received";
    public static final String VERIFICATION_EXPIRED = "verification.expired";
    public static final String VERIFICATION_CANCELLED = "verification.cancelled";
    public static final String RENTAL_MESSAGE = "rental.message";
    public static final String RENTAL_EXPIRED = "rental.expired";
    public static final String RENTAL_CANCELLED = "rental.cancelled";
    public static final String API_KEY_CHANGED = "api-key.changed";
    public static final String INVENTORY_NUMBERS = "inventory.numbers";

    private Topics() {
    }
}
