package com.fetchsms.dashboard.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Cents as people read them. */
class MoneyTest {

    @Test
    void dollarsAlwaysHaveTwoDecimals() {
        assertEquals("12.50", Money.dollars(1250));
        assertEquals("0.05", Money.dollars(5));
        assertEquals("0.00", Money.dollars(0));
        assertEquals("10000.00", Money.dollars(1_000_000));
    }

    @Test
    void negativeDollarsKeepTheirSign() {
        assertEquals("-0.80", Money.dollars(-80));
        assertEquals("-12.50", Money.dollars(-1250));
    }

    @Test
    void usdOfAPositiveAmount() {
        assertEquals("$12.50", Money.usd(1250L));
        assertEquals("$0.01", Money.usd(1L));
        assertEquals("$12.50", Money.usd(Integer.valueOf(1250)));
    }

    @Test
    void usdOfANegativeAmountPutsAMinusSignBeforeTheDollar() {
        assertEquals("\u2212$0.80", Money.usd(-80L));
        assertEquals("\u2212$1000.00", Money.usd(-100_000L));
        assertEquals("\u2212$0.80", Money.usd(Integer.valueOf(-80)));
    }

    @Test
    void usdOfZero() {
        assertEquals("$0.00", Money.usd(0L));
        assertEquals("$0.00", Money.usd(Integer.valueOf(0)));
    }

    @Test
    void usdOfNoAmountIsNothing() {
        assertEquals("", Money.usd((Integer) null));
    }
}
