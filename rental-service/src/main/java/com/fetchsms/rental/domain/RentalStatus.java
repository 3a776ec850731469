package com.fetchsms.rental.domain;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A rental's status as the API shows it ({@code "waiting"}, …). Its spelling is {@link Rental}'s constants,
 * the codes stored and compared by the service.
 */
public enum RentalStatus {
    PENDING(Rental.PENDING),
    WAITING(Rental.WAITING),
    ACTIVE(Rental.ACTIVE),
    EXPIRED(Rental.EXPIRED),
    CANCELLED(Rental.CANCELLED),
    FAILED(Rental.FAILED);

    private final String code;

    RentalStatus(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    /** The status of a stored code; an unknown code is a programming error. */
    public static RentalStatus of(String code) {
        return Arrays.stream(values()).filter(s -> s.code.equals(code)).findFirst()
                .orElseThrow(() -> new IllegalStateException("Unknown rental status: " + code));
    }
}
