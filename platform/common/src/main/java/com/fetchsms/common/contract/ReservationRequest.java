package com.fetchsms.common.contract;

import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fetchsms.common.phone.PhoneNumbers;
import com.fetchsms.common.validation.ServiceReference;

/**
 * {@code POST /internal/reservations} (catalog-service): hold a number for a purchase and price it. {@code service} is
 * a service id (digits) or slug; {@code days} is the term of a {@code long} purchase; {@code area_code} asks for a
 * number in that area. Idempotent on {@code purchase_id}. catalog-service answers 400 when {@code purchase_id},
 * {@code service} or {@code mode} is missing. {@code max_price_cents} is the buyer's price cap: above it catalog-service
 * answers 409 with the current price ({@code price_cents}) and reserves nothing; absent (not written) when the buyer
 * set none. {@code sandbox} is a test key's purchase: catalog-service gives it only a sandbox number (and a live
 * purchase never one); absent (not written) when false, so a live request is unchanged.
 */
public record ReservationRequest(
        UUID purchaseId,
        @Size(max = ServiceReference.MAX_LENGTH) @JsonDeserialize(using = ServiceReference.class) String service,
        PurchaseMode mode,
        @Min(1) @Max(365) Integer days,
        @Pattern(regexp = PhoneNumbers.AREA_CODE_REGEX, message = "must be a 3-digit US area code") String areaCode,
        @Min(1) @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxPriceCents,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean sandbox) {

    /** Absent (or null) is false: the field is written only when true. Never null. */
    public ReservationRequest {
        sandbox = Boolean.TRUE.equals(sandbox);
    }
}
