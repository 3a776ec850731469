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

    /** Every topic of the platform. */
    public static final java.util.List<String> ALL = java.util.List.of(SMS_INBOUND, WALLET_DEBITED, WALLET_REFUNDED,
            VERIFICATION_RECEIVED, VERIFICATION_EXPIRED, VERIFICATION_CANCELLED, RENTAL_MESSAGE, RENTAL_EXPIRED,
            RENTAL_CANCELLED, API_KEY_CHANGED, INVENTORY_NUMBERS);

    /** Topics whose newest record per key is the state (log compaction). */
    public static final java.util.Set<String> COMPACTED = java.util.Set.of(API_KEY_CHANGED, INVENTORY_NUMBERS);

    private Topics() {
    }
}
