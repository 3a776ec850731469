package com.fetchsms.rental.domain;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import com.fetchsms.common.phone.PhoneNumbers;

/** A rental exactly as the API reference shows it, field for field. */
public record RentalView(
        UUID id,
        String ref,
        String service,
        String serviceName,
        String number,
        int durationDays,
        String lastCode,
        RentalStatus status,
        Integer costCents,
        Instant createdAt,
        Instant expiresAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "The buyer's price cap, only when one was set", nullable = true) Integer maxPriceCents) {

    public static RentalView of(Rental r) {
        return new RentalView(r.id(), r.ref(), r.service(), r.serviceName(),
                r.number() == null ? null : PhoneNumbers.display(r.number()), r.days(), r.lastCode(),
                RentalStatus.of(r.status()),
                r.costCents(), r.createdAt(), r.expiresAt(), r.maxPriceCents());
    }
}
