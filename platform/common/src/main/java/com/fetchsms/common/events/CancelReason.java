package com.fetchsms.common.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Why a purchase was cancelled before it delivered: the buyer changed their mind ({@code customer}), or reported the
 * number as not working ({@code reported}: refunded the same way, and catalog counts it against the number).
 */
public enum CancelReason {
    @JsonProperty("customer")
    CUSTOMER,
    @JsonProperty("reported")
    REPORTED
}
