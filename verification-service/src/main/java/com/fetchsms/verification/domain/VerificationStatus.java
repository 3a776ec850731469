package com.fetchsms.verification.domain;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A verification's status as the API shows it ({@code "waiting"}, …). Its spelling is {@link Verification}'s constants,
 * the codes stored and compared by the service.
 */
public enum VerificationStatus {
    PENDING(Verification.PENDING),
    WAITING(Verification.WAITING),
    RECEIVED(Verification.RECEIVED),
    EXPIRED(Verification.EXPIRED),
    CANCELLED(Verification.CANCELLED),
    FAILED(Verification.FAILED);

    private final String code;

    VerificationStatus(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    /** The status of a stored code; an unknown code is a programming error. */
    public static VerificationStatus of(String code) {
        return Arrays.stream(values()).filter(s -> s.code.equals(code)).findFirst()
                .orElseThrow(() -> new IllegalStateException("Unknown verification status: " + code));
    }
}
