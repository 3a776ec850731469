package com.fetchsms.rental.service;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Singleton;

import com.fetchsms.common.purchase.PurchasePlatform;
import com.fetchsms.common.purchase.PurchaseService;
import com.fetchsms.common.security.Caller;
import com.fetchsms.rental.domain.Rental;
import com.fetchsms.rental.domain.Sms;
import com.fetchsms.rental.repository.MessageRepository;
import com.fetchsms.rental.repository.RentalRepository;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Creating, reading, listing, cancelling, expiring and recovering rentals: the shared purchase core
 * ({@link PurchaseService}, fetchsms-common) over {@link RentalProduct} and the {@code rental} table; and reading a
 * rental's messages.
 */
@Singleton // not a normal scope: the generic superclass has no no-args constructor for a client proxy
public class RentalService extends PurchaseService<Rental> {

    private final MessageRepository messages;

    public RentalService(PurchasePlatform platform, RentalProduct product, RentalRepository rentals,
            MessageRepository messages) {
        super(platform, product, rentals);
        this.messages = messages;
    }

    /** Every SMS of the rental's term, newest first (a page of them). */
    public Uni<List<Sms>> messages(Caller caller, UUID id, UUID before, int limit) {
        return get(caller, id).chain(rental -> messages.list(pool, rental.id(), before, limit));
    }

    /**
     * A long poll of the newest messages: at once when the newest is not {@code after} (the newest the client has
     * seen; absent, any message), else as soon as the rental changes (a message, a cancel, the end of its term) or
     * {@code wait} passes.
     */
    public Uni<List<Sms>> newMessages(Caller caller, UUID id, UUID after, int limit, Duration wait) {
        return longPoll(id, wait, () -> messages(caller, id, null, limit),
                list -> !list.isEmpty() && !list.get(0).id().equals(after));
    }

    /**
     * Ends the terms that have passed: {@code waiting}/{@code active} → {@code expired} with {@code rental.expired}
     * (whether any code arrived decides the refund).
     */
    @Scheduled(every = "${fetchsms.rental.expiry-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> expire() {
        return expiryPass();
    }

    /** Finishes or compensates the rentals left {@code pending} by a crash or an unreachable service. */
    @Scheduled(every = "${fetchsms.rental.recovery-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> recover() {
        return recoveryPass();
    }
}
