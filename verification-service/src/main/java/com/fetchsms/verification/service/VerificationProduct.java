package com.fetchsms.verification.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Singleton;

import com.fetchsms.common.contract.PurchaseMode;
import com.fetchsms.common.events.EventPayload;
import com.fetchsms.common.events.VerificationCancelled;
import com.fetchsms.common.events.VerificationExpired;
import com.fetchsms.common.purchase.PurchaseProduct;
import com.fetchsms.verification.config.VerificationConfig;
import com.fetchsms.verification.domain.Verification;
import com.fetchsms.verification.messaging.SmsInboundConsumer;

/**
 * A verification as a purchase product: a number of catalog-service's short mode for one code of one service, held
 * for the window; {@code waiting} until the code is {@code received}, or {@code expired}, or {@code cancelled} (until
 * the expiry job has ended it), or reported (cancelled as {@code reported}) while its window is open.
 */
@Singleton // not a normal scope: the generic superclass has no no-args constructor for a client proxy
public class VerificationProduct extends PurchaseProduct<Verification> {

    private final Duration window;

    public VerificationProduct(VerificationConfig config) {
        super("verification", PurchaseMode.SHORT, "v_", config, SmsInboundConsumer.CONSUMER,
                List.of(Verification.WAITING),
                List.of(Verification.RECEIVED, Verification.EXPIRED, Verification.CANCELLED));
        this.window = config.window();
    }

    @Override
    public Duration term(Verification pending) {
        return window;
    }

    @Override
    public EventPayload cancelledEvent(Verification v) {
        return new VerificationCancelled(v.id(), v.accountId(), v.ref(), v.serviceId(), v.service(), v.number(),
                v.costCents(), Instant.now(), v.cancelReason());
    }

    @Override
    public EventPayload expiredEvent(Verification v) {
        return new VerificationExpired(v.id(), v.accountId(), v.ref(), v.serviceId(), v.service(), v.number(),
                v.costCents(), Instant.now());
    }

    /** A verification may be reported while it waits for its code, for its whole window. */
    @Override
    public Duration reportWindow() {
        return window;
    }

    @Override
    public String reportRefusal(Verification v) {
        return switch (v.status()) {
            case Verification.RECEIVED ->
                "The code has already been received; a verification with a code cannot be reported";
            case Verification.WAITING -> "The verification's window has closed; it is refunded when it expires";
            case Verification.CANCELLED ->
                "The verification was already cancelled (and refunded); it can no longer be reported";
            default -> "The verification has expired (and was refunded)";
        };
    }

    @Override
    public String cancelRefusal(String status) {
        return Verification.RECEIVED.equals(status)
                ? "The code has already been received; a verification with a code cannot be cancelled"
                : "The verification has expired (and was refunded)";
    }
}
