package com.fetchsms.verification.domain;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import com.fetchsms.common.phone.PhoneNumbers;

/** A verification exactly as the API reference shows it: the code only, never the message body. */
public record VerificationView(
        UUID id,
        String ref,
        String service,
        String serviceName,
        String number,
        String code,
        VerificationStatus status,
        Integer costCents,
        Instant createdAt,
        Instant expiresAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "The buyer's price cap, only when one was set", nullable = true) Integer maxPriceCents) {

    public static VerificationView of(Verification v) {
        return new VerificationView(v.id(), v.ref(), v.service(), v.serviceName(),
                v.number() == null ? null : PhoneNumbers.display(v.number()), v.code(),
                VerificationStatus.of(v.status()), v.costCents(),
                v.createdAt(), v.expiresAt(), v.maxPriceCents());
    }
}
