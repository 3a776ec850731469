package com.fetchsms.common.contract;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** A reservation's state: {@code active} while the purchase holds the number, then completed or released. */
public enum ReservationStatus {
    /** The purchase holds the number. */
    ACTIVE,
    /** A short-term purchase got its code: the number is free for other services. */
    COMPLETED,
    /** Given back: the payment failed, or the purchase was cancelled or expired. */
    RELEASED;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ReservationStatus of(String code) {
        return valueOf(code.trim().toUpperCase(Locale.ROOT));
    }
}
