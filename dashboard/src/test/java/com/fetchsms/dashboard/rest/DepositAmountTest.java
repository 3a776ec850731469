package com.fetchsms.dashboard.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The deposit form's amount, written in dollars by a person, as the API's cents. */
class DepositAmountTest {

    @Test
    void wholeDollars() {
        assertEquals(1000L, WalletResource.cents("10"));
        assertEquals(100L, WalletResource.cents("1"));
        assertEquals(0L, WalletResource.cents("0"));
    }

    @Test
    void dollarsAndCents() {
        assertEquals(1250L, WalletResource.cents("12.5"));
        assertEquals(1250L, WalletResource.cents("12.50"));
        assertEquals(1205L, WalletResource.cents("12.05"));
    }

    @Test
    void aDollarSignThousandsSeparatorsAndSurroundingSpacesAreAllowed() {
        assertEquals(100025L, WalletResource.cents("$1,000.25"));
        assertEquals(1000L, WalletResource.cents("$10"));
        assertEquals(1000L, WalletResource.cents("  10 "));
    }

    @Test
    void theLargestAmountTheFormReads() {
        assertEquals(999999999L, WalletResource.cents("9999999.99"));
    }

    @Test
    void anythingElseIsNotAnAmount() {
        for (String notAnAmount : new String[]{"1.234", "-5", "abc", "", "   ", "10000000", "12.", ".5", "1e3",
                "0x10", "10 USD", "12,50.", "1.2.3", "+5", "NaN", "\u0661\u0662"}) {
            assertNull(WalletResource.cents(notAnAmount), notAnAmount);
        }
        assertNull(WalletResource.cents(null));
    }
}
