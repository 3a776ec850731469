package com.fetchsms.rental.domain;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fetchsms.common.purchase.PurchaseView;

/**
 * A rental exactly as the API reference shows it, field for field. The fields every purchase has are
 * {@link PurchaseView}'s, unwrapped in place; the order names them too, for the OpenAPI schema.
 */
@JsonPropertyOrder({"bought", "id", "ref", "service", "service_name", "number", "sandbox", "duration_days", "last_code",
        "status", "cancellation", "cancel_reason", "report_reason", "paid", "cost_cents", "created_at", "expires_at",
        "max_price_cents"})
public record RentalView(
        @JsonUnwrapped PurchaseView.Bought bought,
        int durationDays,
        String lastCode,
        RentalStatus status,
        @JsonUnwrapped PurchaseView.Cancellation cancellation,
        @JsonUnwrapped PurchaseView.Paid paid) {

    public static RentalView of(Rental r) {
        return new RentalView(PurchaseView.Bought.of(r), r.days(), r.lastCode(), RentalStatus.of(r.status()),
                PurchaseView.Cancellation.of(r), PurchaseView.Paid.of(r));
    }
}
