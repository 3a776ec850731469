package com.fetchsms.rental.domain;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fetchsms.common.purchase.Purchase;
import com.fetchsms.common.purchase.PurchaseRow;

/**
 * A rental as stored, including the saga's internal states ({@code pending}, {@code failed}): the columns every
 * purchase has, its term in days, the newest code and the services detected during the term.
 */
public record Rental(PurchaseRow row, int days, String lastCode, Instant lastCodeAt, List<String> servicesUsed)
        implements
            Purchase {

    /** At least one SMS arrived; the number keeps receiving every SMS until the term ends. */
    public static final String ACTIVE = "active";

    public Rental {
        servicesUsed = servicesUsed == null ? List.of() : List.copyOf(servicesUsed);
    }

    /** Whether any code ever arrived (decides the refund at the end of the term). */
    public boolean codeReceived() {
        return lastCode != null;
    }
}
