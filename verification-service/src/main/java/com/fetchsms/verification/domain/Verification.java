package com.fetchsms.verification.domain;

import java.time.Instant;

import com.fetchsms.common.purchase.Purchase;
import com.fetchsms.common.purchase.PurchaseRow;

/**
 * A verification as stored, including the saga's internal states ({@code pending}, {@code failed}): the columns every
 * purchase has, and the code released to it with its sender and the carrier's time.
 */
public record Verification(PurchaseRow row, String code, String sender, Instant receivedAt) implements Purchase {

    /** The code arrived within the window: the verification is done. */
    public static final String RECEIVED = "received";
}
