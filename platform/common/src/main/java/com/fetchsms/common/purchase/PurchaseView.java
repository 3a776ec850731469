package com.fetchsms.common.purchase;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fetchsms.common.events.CancelReason;
import com.fetchsms.common.phone.PhoneNumbers;

/**
 * The fields every purchase shows in the API (decision 0017), as two parts that each product's view
 * ({@code VerificationView}, {@code RentalView}) embeds with {@code @JsonUnwrapped}, at the places the API reference
 * puts them: {@link Bought} first, then the product's own fields and its status, {@link Cancellation}, then
 * {@link Paid}.
 */
public final class PurchaseView {

    private PurchaseView() {
    }

    /**
     * What was bought: {@code id}, {@code ref}, {@code service}, {@code service_name}, {@code number}, and
     * {@code sandbox} (bought with a test key: a sandbox number, test money).
     */
    public record Bought(UUID id, String ref, String service, String serviceName, String number,
            @Schema(description = "Bought with a test key (fsk_test_…): a sandbox number, which receives only simulated SMS, paid with test money") boolean sandbox) {

        /** The purchase's fields, its number as people write it. */
        public static Bought of(Purchase p) {
            return new Bought(p.id(), p.ref(), p.service(), p.serviceName(),
                    p.number() == null ? null : PhoneNumbers.display(p.number()), p.sandbox());
        }
    }

    /**
     * Why it was cancelled: {@code cancel_reason} ({@code "customer"} for a cancel, {@code "reported"} for a report;
     * null while not cancelled), and {@code report_reason}, the buyer's text, only when a report gave one.
     */
    public record Cancellation(
            @Schema(description = "Why it was cancelled: customer (a cancel) or reported (a report); null unless cancelled", nullable = true, enumeration = {
                    "customer", "reported"}) CancelReason cancelReason,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "The text given with a report, only when one was given", nullable = true) String reportReason){

        public static Cancellation of(Purchase p) {
            return new Cancellation(p.cancelReason(), p.reportReason());
        }
    }

    /**
     * For how much and for how long: {@code cost_cents}, {@code created_at}, {@code expires_at}, and
     * {@code max_price_cents} when the buyer set a price cap.
     */
    public record Paid(Integer costCents, Instant createdAt, Instant expiresAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "The buyer's price cap, only when one was set", nullable = true) Integer maxPriceCents) {

        public static Paid of(Purchase p) {
            return new Paid(p.costCents(), p.createdAt(), p.expiresAt(), p.maxPriceCents());
        }
    }
}
