package com.fetchsms.verification.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.client.CatalogClient;
import com.fetchsms.common.client.UpstreamUnavailableException;
import com.fetchsms.common.client.WalletClient;
import com.fetchsms.verification.config.VerificationConfig;
import com.fetchsms.verification.domain.Verification;
import com.fetchsms.verification.repository.VerificationRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The purchase saga (ARCHITECTURE.md): pending row → reserve a number and its price at catalog-service → debit the
 * wallet (idempotency key = verification id) → waiting. A refusal is compensated (the reservation released) and
 * recorded; an unreachable service leaves the row pending for {@link RecoveryJob}, which runs the same steps again —
 * safe because every step is idempotent on the verification id.
 */
@ApplicationScoped
public class PurchaseSaga {

    private static final Logger LOG = Logger.getLogger(PurchaseSaga.class);

    private final Pool pool;
    private final VerificationRepository verifications;
    private final CatalogClient catalog;
    private final WalletClient wallet;
    private final VerificationConfig config;

    public PurchaseSaga(Pool pool, VerificationRepository verifications, CatalogClient catalog, WalletClient wallet,
            VerificationConfig config) {
        this.pool = pool;
        this.verifications = verifications;
        this.catalog = catalog;
        this.wallet = wallet;
        this.config = config;
    }

    /**
     * Runs (or resumes) the saga of a pending verification. Answers the waiting verification, or fails with the
     * client error that ended it, or with {@link UpstreamUnavailableException} when the outcome is not known yet.
     */
    public Uni<Verification> run(Verification pending) {
        if (pending.failureStatus() != null) {
            return compensate(pending, pending.failureStatus(), pending.failureDetail());
        }
        return catalog.reserve(pending.id(), serviceValue(pending.serviceRef()), "short", null, pending.areaCode())
                .chain(reservation -> {
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

    private Uni<Verification> finish(Verification pending, JsonObject held, int price) {
        return pool.withTransaction(tx -> verifications.markWaiting(tx, pending.id(), held.getInteger("service_id"),
                held.getString("service"), held.getString("service_name"), held.getString("number"), price,
                config.window()))
                .chain(updated -> updated.isPresent()
                        ? Uni.createFrom().item(updated.get())
                        // another replica's recovery finished it first
                        : pool.withTransaction(tx -> verifications.find(tx, pending.id())).map(v -> v.orElseThrow()));
    }

    /** Gives the number back, then records the refusal; until the release succeeds the row stays pending. */
    private Uni<Verification> compensate(Verification pending, int status, String detail) {
        return pool.withTransaction(tx -> verifications.noteFailure(tx, pending.id(), status, detail))
                .chain(() -> catalog.release(pending.id()))
                .chain(released -> {
                    if (!released.ok() && released.status() != 404) {
                        LOG.warnf("Release of %s answered %d; recovery will retry", pending.id(), released.status());
                        return Uni.createFrom().failure(new UpstreamUnavailableException("release refused"));
                    }
                    return fail(pending, status, detail);
                });
    }

    private Uni<Verification> fail(Verification pending, int status, String detail) {
        int clientStatus = status == 400 || status == 402 || status == 404 || status == 409 || status == 422
                ? status
                : 409;
        return pool.withTransaction(tx -> verifications.markFailed(tx, pending.id(), clientStatus, detail))
                .chain(() -> Uni.createFrom().failure(new ApiException(clientStatus, detail)));
    }

    /** A digit string is the numeric id, anything else a slug (as catalog-service reads it). */
    static Object serviceValue(String serviceRef) {
        return serviceRef.matches("\\d{1,9}") ? (Object) Integer.valueOf(serviceRef) : serviceRef;
    }
}
