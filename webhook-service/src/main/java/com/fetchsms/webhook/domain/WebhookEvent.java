package com.fetchsms.webhook.domain;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An event a customer can subscribe an endpoint to, as requests and answers spell it ({@code "sms.received"}). Its
 * spelling is {@link WebhookEvents}' constants, the types deliveries are stored and sent with.
 */
public enum WebhookEvent {
    SMS_RECEIVED(WebhookEvents.SMS_RECEIVED),
    RENTAL_EXPIRED(WebhookEvents.RENTAL_EXPIRED);

    /** Every event's name, in the documented order. */
    public static final List<String> CODES = Arrays.stream(values()).map(WebhookEvent::code).toList();

    private final String code;

    WebhookEvent(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }
}
