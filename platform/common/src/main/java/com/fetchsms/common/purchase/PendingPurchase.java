package com.fetchsms.common.purchase;

import java.util.UUID;

/** What the purchase saga reads of a purchase row (a verification or a rental). */
public interface PendingPurchase {

    UUID id();

    UUID accountId();

    String ref();

    /** The service as the buyer named it: a numeric id or a slug. */
    String serviceRef();

    String areaCode();

    /** Set when the saga stopped on a refusal whose compensation is still to be done. */
    Integer failureStatus();

    String failureDetail();
}
