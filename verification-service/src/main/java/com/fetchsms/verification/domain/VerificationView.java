package com.fetchsms.verification.domain;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fetchsms.common.purchase.PurchaseView;

/**
 * A verification exactly as the API reference shows it: the code only, never the message body. The fields every
 * purchase has are {@link PurchaseView}'s, unwrapped in place; the order names them too, for the OpenAPI schema.
 */
@JsonPropertyOrder({"bought", "id", "ref", "service", "service_name", "number", "code", "status", "paid",
        "cost_cents", "created_at", "expires_at",
        "max_price_cents"})
public record VerificationView(
        @JsonUnwrapped PurchaseView.Bought bought,
        String code,
        VerificationStatus status,
        @JsonUnwrapped PurchaseView.Paid paid) {

    public static VerificationView of(Verification v) {
        return new VerificationView(PurchaseView.Bought.of(v), v.code(), VerificationStatus.of(v.status()),
                PurchaseView.Paid.of(v));
    }
}
