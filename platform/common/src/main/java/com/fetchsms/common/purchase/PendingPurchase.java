package com.fetchsms.common.purchase;

import java.util.UUID;

/** What the purchase saga reads of a purchase row (a verification or a rental). */
public interface PendingPurchase {

    String PENDING = "pending";
    String FAILED = "failed";

    UUID id();

    UUID accountId();

    String ref();

    /** The service as the buyer named it: a numeric id or a slug. */
    String serviceRef();

    String areaCode();

    /** {@code pending} while the saga runs, {@code failed} when it ended in a refusal, else the purchase's own. */
    String status();

    /** SHA-256 of the create request, to tell an Idempotency-Key replay from a different request. */
    String requestHash();

    /** Set when the saga stopped on a refusal whose compensation is still to be done. */
    Integer failureStatus();

    String failureDetail();
}
