package com.fetchsms.rental.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Singleton;

import com.fetchsms.common.contract.PurchaseMode;
import com.fetchsms.common.events.EventPayload;
import com.fetchsms.common.events.RentalCancelled;
import com.fetchsms.common.events.RentalExpired;
import com.fetchsms.common.purchase.PurchaseProduct;
import com.fetchsms.rental.config.RentalConfig;
import com.fetchsms.rental.domain.Rental;
import com.fetchsms.rental.messaging.SmsInboundConsumer;

/**
 * A rental as a purchase product: a pristine number of catalog-service's long mode, held exclusively for a term of
 * days; {@code waiting} until its first SMS, then {@code active} until the term has {@code expired}; cancelled only
 * while waiting within the term, reported (cancelled as {@code reported}) only while waiting in its first hour.
 */
@Singleton // not a normal scope: the generic superclass has no no-args constructor for a client proxy
public class RentalProduct extends PurchaseProduct<Rental> {

    private final Duration dayLength;
    private final Duration reportWindow;

    public RentalProduct(RentalConfig config) {
        super("rental", PurchaseMode.LONG, "r_", config, SmsInboundConsumer.CONSUMER,
                List.of(Rental.WAITING, Rental.ACTIVE),
                List.of(Rental.EXPIRED, Rental.CANCELLED));
        this.dayLength = config.dayLength();
        this.reportWindow = config.reportWindow();
    }

    @Override
    public Integer days(Rental pending) {
        return pending.days();
    }

    @Override
    public Duration term(Rental pending) {
        return dayLength.multipliedBy(pending.days());
    }

    /** A rental whose term has passed is no longer cancellable, even before the expiry job ends it. */
    @Override
    public boolean cancelEndsWithTerm() {
        return true;
    }

    @Override
    public EventPayload cancelledEvent(Rental r) {
        return new RentalCancelled(r.id(), r.accountId(), r.ref(), r.number(), r.costCents(), Instant.now(),
                r.cancelReason());
    }

    /** Carries whether any code ever arrived (no refund then) and the services detected during the term. */
    @Override
    public EventPayload expiredEvent(Rental r) {
        return new RentalExpired(r.id(), r.accountId(), r.ref(), r.number(), r.codeReceived(), r.servicesUsed(),
                r.costCents(), Instant.now());
    }

    /** A rental may be reported in its first hour ({@code fetchsms.rental.report-window}), before any SMS. */
    @Override
    public Duration reportWindow() {
        return reportWindow;
    }

    @Override
    public String reportRefusal(Rental r) {
        return switch (r.status()) {
            case Rental.ACTIVE -> "This rental has already received an SMS; it cannot be reported";
            case Rental.WAITING -> "A rental can be reported only within " + spoken(reportWindow)
                    + " of its purchase; this one is older (it can still be cancelled while it has received nothing)";
            case Rental.CANCELLED -> "The rental was already cancelled (and refunded); it can no longer be reported";
            default -> "The rental's term has ended (it is refunded automatically if no code arrived)";
        };
    }

    /** A window as people say it: {@code 1 hour}, {@code 90 minutes}, {@code 5 seconds}. */
    static String spoken(Duration window) {
        long seconds = window.toSeconds();
        if (seconds % 3600 == 0) {
            return plural(seconds / 3600, "hour");
        }
        return seconds % 60 == 0 ? plural(seconds / 60, "minute") : plural(seconds, "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    @Override
    public String cancelRefusal(String status) {
        return Rental.ACTIVE.equals(status)
                ? "This rental has already received an SMS; it cannot be cancelled"
                : "The rental's term has ended (it is refunded automatically if no code arrived)";
    }
}
