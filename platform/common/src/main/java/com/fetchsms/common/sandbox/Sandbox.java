package com.fetchsms.common.sandbox;

import java.util.UUID;

/**
 * The sandbox world that test keys ({@code fsk_test_…}) act on: catalog-service stocks sandbox numbers (state
 * {@value #NUMBER_STATE} on the inventory topic, under {@link #GATEWAY_ID}), which only sandbox purchases are given and
 * which receive only simulated SMS ({@code POST /v1/sandbox/sms}); no modem gateway has that id, so no carrier SMS
 * ever reaches one, and no live purchase is ever given one.
 */
public final class Sandbox {

    /** The inventory state of a sandbox number (beside {@code available}, {@code rented} and {@code retired}). */
    public static final String NUMBER_STATE = "sandbox";
    /** The gateway every sandbox number belongs to; no modem gateway is ever registered with it. */
    public static final UUID GATEWAY_ID = UUID.fromString("00000000-0000-4000-8000-00000000005b");

    private Sandbox() {
    }
}
