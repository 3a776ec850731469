package com.fetchsms.verification.domain;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fetchsms.common.purchase.PurchaseView;

/**
 * A verification exactly as the API reference shows it: the code only, never the message body. The fields every
 * purchase has are {@link PurchaseView}'s, unwrapped in place; the order names them too, for the OpenAPI schema.
 */
@JsonPropertyOrder({"bought", "id", "ref", "service", "service_name", "number", "sandbox", "code", "codes",
        "awaiting_another_code", "status", "cancellation", "cancel_reason", "report_reason", "paid", "cost_cents",
        "created_at", "expires_at", "max_price_cents"})
public record VerificationView(
        @JsonUnwrapped PurchaseView.Bought bought,
        @Schema(description = "The newest code received, null until one arrives", nullable = true) String code,
        @Schema(description = "Every code received, oldest first (the first code included)") List<CodeView> codes,
        @Schema(description = "Waiting for another code: asked for (POST …/another-code), none newer yet, window open") boolean awaitingAnotherCode,
        VerificationStatus status,
        @JsonUnwrapped PurchaseView.Cancellation cancellation,
        @JsonUnwrapped PurchaseView.Paid paid) {

    /** One code of {@code codes}. */
    public record CodeView(String code, String sender, Instant receivedAt) {

        static CodeView of(VerificationCode c) {
            return new CodeView(c.code(), c.sender(), c.receivedAt());
        }
    }

    public static VerificationView of(Verification v) {
        return new VerificationView(PurchaseView.Bought.of(v), v.code(),
                v.codes().stream().map(CodeView::of).toList(), v.awaitingAnotherCode(),
                VerificationStatus.of(v.status()), PurchaseView.Cancellation.of(v), PurchaseView.Paid.of(v));
    }
}
