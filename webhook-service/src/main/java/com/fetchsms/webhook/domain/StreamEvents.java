package com.fetchsms.webhook.domain;

import java.util.List;

/** The event types of the account stream ({@code GET /v1/events}), as customers see them. */
public final class StreamEvents {

    public static final String SMS_RECEIVED = WebhookEvents.SMS_RECEIVED;
    public static final String VERIFICATION_CANCELLED = "verification.cancelled";
    public static final String VERIFICATION_EXPIRED = "verification.expired";
    public static final String RENTAL_CANCELLED = "rental.cancelled";
    public static final String RENTAL_EXPIRED = WebhookEvents.RENTAL_EXPIRED;
    public static final String WALLET_REFUNDED = "wallet.refunded";

    /** Every type, in the documented order. */
    public static final List<String> ALL = List.of(SMS_RECEIVED, VERIFICATION_CANCELLED, VERIFICATION_EXPIRED,
            RENTAL_CANCELLED, RENTAL_EXPIRED, WALLET_REFUNDED);

    private StreamEvents() {
    }
}
