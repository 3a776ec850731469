package com.fetchsms.rental.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.common.client.CatalogClient;
import com.fetchsms.common.client.UpstreamUnavailableException;
import com.fetchsms.common.client.WalletClient;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.rental.config.RentalConfig;
import com.fetchsms.rental.domain.Rental;
import com.fetchsms.rental.repository.RentalRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The purchase saga (ARCHITECTURE.md, decision 0010 applied to rentals): pending row → reserve a pristine number in
 * long mode and its price at catalog-service → debit the wallet (idempotency key = rental id) → waiting. A refusal is
 * compensated (the reservation released) and recorded; an unreachable service leaves the row pending for
 * {@link RecoveryJob}, which runs the same steps again — safe because every step is idempotent on the rental id.
 */
@ApplicationScoped
public class PurchaseSaga {

    private static final Logger LOG = Logger.getLogger(PurchaseSaga.class);

    private final Pool pool;
    private final RentalRepository rentals;
    private final CatalogClient catalog;
    private final WalletClient wallet;
    private final RentalConfig config;

    public PurchaseSaga(Pool pool, RentalRepository rentals, CatalogClient catalog, WalletClient wallet,
            RentalConfig config) {
        this.pool = pool;
        this.rentals = rentals;
        this.catalog = catalog;
        this.wallet = wallet;
        this.config = config;
    }

    /**
     * Runs (or resumes) the saga of a pending rental. Answers the waiting rental, or fails with the client error that
     * ended it, or with {@link UpstreamUnavailableException} when the outcome is not known yet.
     */
    public Uni<Rental> run(Rental pending) {
        if (pending.failureStatus() != null) {
            return compensate(pending, pending.failureStatus(), pending.failureDetail());
        }
        return catalog.reserve(pending.id(), serviceValue(pending.serviceRef()), "long", pending.days(),
                pending.areaCode()).chain(reservation -> {
                    if (!reservation.ok()) {
                        // nothing is held: a refusal of the reservation needs no compensation
                        return fail(pending, reservation.status(), reservation.detail());
                    }
                    JsonObject held = reservation.body();
                    if (!"active".equals(held.getString("status"))) {
                        // the purchase's reservation was already given back (a parallel run compensated it): never
                        // pay for a number that is no longer held
                        return fail(pending, 409, "The purchase was abandoned; nothing was charged");
                    }
                    int price = held.getInteger("price_cents");
                    return wallet.debit(pending.id(), pending.accountId(), price, pending.ref())
                            .chain(debit -> debit.ok()
                                    ? finish(pending, held, price)
                                    : compensate(pending, debit.status(), debit.detail()));
                });
    }

    private Uni<Rental> finish(Rental pending, JsonObject held, int price) {
        return pool.withTransaction(tx -> rentals.markWaiting(tx, pending.id(), held.getInteger("service_id"),
                held.getString("service"), held.getString("service_name"), held.getString("number"), price,
                config.dayLength().multipliedBy(pending.days())))
                .chain(updated -> updated.isPresent()
                        ? Uni.createFrom().item(updated.get())
                        // another replica's recovery finished it first
                        : rentals.find(pool, pending.id()).map(r -> r.orElseThrow()));
    }

    /** Gives the number back, then records the refusal; until the release succeeds the row stays pending. */
    private Uni<Rental> compensate(Rental pending, int status, String detail) {
        return pool.withTransaction(tx -> rentals.noteFailure(tx, pending.id(), status, detail))
                .chain(() -> catalog.release(pending.id()))
                .chain(released -> {
                    if (!released.ok() && released.status() != 404) {
                        LOG.warnf("Release of %s answered %d; recovery will retry", pending.id(), released.status());
                        return Uni.createFrom().failure(new UpstreamUnavailableException("release refused"));
                    }
                    return fail(pending, status, detail);
                });
    }

    private Uni<Rental> fail(Rental pending, int status, String detail) {
        int clientStatus = status == 400 || status == 402 || status == 404 || status == 409 || status == 422
                ? status
                : 409;
        return pool.withTransaction(tx -> rentals.markFailed(tx, pending.id(), clientStatus, detail))
                .chain(() -> Uni.createFrom().failure(new ApiException(clientStatus, detail)));
    }

    /** A digit string is the numeric id, anything else a slug (as catalog-service reads it). */
    static Object serviceValue(String serviceRef) {
        return serviceRef.matches("\\d{1,9}") ? (Object) Integer.valueOf(serviceRef) : serviceRef;
    }
}
