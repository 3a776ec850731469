package com.fetchsms.dashboard.service;

import java.math.BigDecimal;

import io.quarkus.qute.TemplateExtension;

/** Cents as people read them, in templates ({@code {entry.amountCents.dollars}}) and in the CSV. */
public final class Money {

    private Money() {
    }

    /** {@code 1250} → {@code 12.50}, {@code -80} → {@code -0.80}. */
    public static String dollars(long cents) {
        return BigDecimal.valueOf(cents, 2).toPlainString();
    }

    /** {@code 1250} → {@code $12.50}, {@code -80} → {@code −$0.80}. */
    @TemplateExtension(matchName = "usd")
    public static String usd(long cents) {
        return (cents < 0 ? "−$" : "$") + dollars(Math.abs(cents));
    }

    /** {@code 1250} → {@code $12.50}; nothing for {@code null}. */
    @TemplateExtension(matchName = "usd")
    public static String usd(Integer cents) {
        return cents == null ? "" : usd(cents.longValue());
    }
}
