package com.fetchsms.verification.domain;

import java.time.Instant;
import java.util.List;

import com.fetchsms.common.purchase.Purchase;
import com.fetchsms.common.purchase.PurchaseRow;

/**
 * A verification as stored, including the saga's internal states ({@code pending}, {@code failed}): the columns every
 * purchase has, the newest code released to it with its sender and the carrier's time, every code it received
 * (oldest first), and when the buyer asked for another code (null: not asked, or answered by a newer code).
 */
public record Verification(PurchaseRow row, String code, String sender, Instant receivedAt,
        List<VerificationCode> codes, Instant anotherCodeRequestedAt) implements Purchase {

    /** The code arrived within the window: the verification is done (unless another code is asked for). */
    public static final String RECEIVED = "received";

    public Verification {
        codes = codes == null ? List.of() : List.copyOf(codes);
    }

    /**
     * Waiting for another code: asked for, no newer code since, and the window still open (after it the request has
     * lapsed, charged nothing more and refunded nothing).
     */
    public boolean awaitingAnotherCode() {
        return anotherCodeRequestedAt != null && RECEIVED.equals(status()) && expiresAt() != null
                && Instant.now().isBefore(expiresAt());
    }

    /** Waiting for its first code, or for another one: a long poll of it waits. */
    @Override
    public boolean awaiting() {
        return Purchase.super.awaiting() || awaitingAnotherCode();
    }
}
