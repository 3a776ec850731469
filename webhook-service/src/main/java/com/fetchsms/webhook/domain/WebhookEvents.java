package com.fetchsms.webhook.domain;

import java.util.List;

/** The event types a customer can subscribe to (the documented ones), plus the test-only {@code ping}. */
public final class WebhookEvents {

    public static final String SMS_RECEIVED = "sms.received";
    public static final String RENTAL_EXPIRED = "rental.expired";
    public static final String PING = "ping";
    /** The names of the {@link WebhookEvent}s. */
    public static final List<String> SUBSCRIBABLE = WebhookEvent.CODES;

    private WebhookEvents() {
    }
}
