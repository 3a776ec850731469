package com.fetchsms.common.purchase;

import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;

import com.fetchsms.common.client.CatalogClient;
import com.fetchsms.common.client.UpstreamUnavailableException;
import com.fetchsms.common.client.WalletClient;
import com.fetchsms.common.error.ApiException;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The purchase saga of verifications and rentals (ARCHITECTURE.md, decision 0010): pending row → reserve a number and
 * its price at catalog-service → debit the wallet (idempotency key = purchase id) → waiting. A refusal is compensated
 * (the reservation released) and recorded; an unreachable service leaves the row pending for the recovery pass
 * ({@link #recoverStale}), which runs the same steps again — safe because every step is idempotent on the purchase
 * id. Each service supplies its {@link PurchaseSteps}.
 */
public class PurchaseSaga<P extends PendingPurchase> {

    private static final Logger LOG = Logger.getLogger(PurchaseSaga.class);

    private final Pool pool;
    private final CatalogClient catalog;
    private final WalletClient wallet;
    private final PurchaseSteps<P> steps;

    public PurchaseSaga(Pool pool, CatalogClient catalog, WalletClient wallet, PurchaseSteps<P> steps) {
        this.pool = pool;
        this.catalog = catalog;
        this.wallet = wallet;
        this.steps = steps;
    }

    /**
     * Runs (or resumes) the saga of a pending purchase. Answers the waiting purchase, or fails with the client error
     * that ended it, or with {@link UpstreamUnavailableException} when the outcome is not known yet.
     */
    public Uni<P> run(P pending) {
        if (pending.failureStatus() != null) {
            return compensate(pending, pending.failureStatus(), pending.failureDetail());
        }
        return catalog.reserve(pending.id(), serviceValue(pending.serviceRef()), steps.mode(), steps.days(pending),
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

    /**
     * The saga for a create request: as {@link #run}, but an unknown outcome is a 503 telling the client to retry
     * with its Idempotency-Key (recovery finishes or compensates the purchase meanwhile).
     */
    public Uni<P> runForRequest(P pending) {
        return run(pending).onFailure(UpstreamUnavailableException.class).transform(e -> new ApiException(503,
                "The purchase could not be completed right now; it will be finished or refunded "
                        + "automatically. Retry with the same Idempotency-Key to see its outcome"));
    }

    /**
     * What a create with an Idempotency-Key that was already used answers: the purchase it made, the refusal it got,
     * 409 while it is still running, 422 when the request differs.
     */
    public static <P extends PendingPurchase> Uni<P> replay(P existing, String requestHash) {
        if (!existing.requestHash().equals(requestHash)) {
            return Uni.createFrom().failure(ApiException.unprocessable(
                    "This Idempotency-Key was already used with a different request"));
        }
        if (PendingPurchase.FAILED.equals(existing.status())) {
            return Uni.createFrom().failure(new ApiException(existing.failureStatus(), existing.failureDetail()));
        }
        if (PendingPurchase.PENDING.equals(existing.status())) {
            return Uni.createFrom().failure(ApiException.conflict(
                    "A purchase with this Idempotency-Key is still being processed; retry in a few seconds"));
        }
        return Uni.createFrom().item(existing);
    }

    /**
     * One recovery pass: leases stale pending purchases (so replicas split them) and runs their saga again; answers
     * how many reached a final state.
     */
    public Uni<Integer> recoverStale(Duration olderThan, int limit) {
        return pool.withTransaction(tx -> steps.leaseStalePending(tx, olderThan, limit)).chain(stale -> {
            if (stale.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            List<Uni<Boolean>> runs = stale.stream().map(this::recover).toList();
            return Uni.join().all(runs).andCollectFailures()
                    .map(done -> (int) done.stream().filter(Boolean::booleanValue).count());
        });
    }

    private Uni<Boolean> recover(P pending) {
        return run(pending).map(finished -> {
            LOG.infof("Recovered purchase %s", pending.id());
            return true;
        }).onFailure(ApiException.class).recoverWithItem(refused -> {
            LOG.infof("Recovered purchase %s: refused (%s)", pending.id(), refused.getMessage());
            return true;
        }).onFailure().recoverWithItem(unavailable -> {
            LOG.warnf("Purchase %s still pending: %s", pending.id(), unavailable.getMessage());
            return false;
        });
    }

    private Uni<P> finish(P pending, JsonObject held, int price) {
        return pool.withTransaction(tx -> steps.markWaiting(tx, pending, held, price))
                .chain(updated -> updated.isPresent()
                        ? Uni.createFrom().item(updated.get())
                        // another replica's recovery finished it first
                        : steps.find(pool, pending.id()).map(found -> found.orElseThrow()));
    }

    /** Gives the number back, then records the refusal; until the release succeeds the row stays pending. */
    private Uni<P> compensate(P pending, int status, String detail) {
        return pool.withTransaction(tx -> steps.noteFailure(tx, pending.id(), status, detail))
                .chain(() -> catalog.release(pending.id()))
                .chain(released -> {
                    if (!released.ok() && released.status() != 404) {
                        LOG.warnf("Release of %s answered %d; recovery will retry", pending.id(), released.status());
                        return Uni.createFrom().failure(new UpstreamUnavailableException("release refused"));
                    }
                    return fail(pending, status, detail);
                });
    }

    private Uni<P> fail(P pending, int status, String detail) {
        int clientStatus = status == 400 || status == 402 || status == 404 || status == 409 || status == 422
                ? status
                : 409;
        return pool.withTransaction(tx -> steps.markFailed(tx, pending.id(), clientStatus, detail))
                .chain(() -> Uni.createFrom().failure(new ApiException(clientStatus, detail)));
    }

    /** A digit string is the numeric id, anything else a slug (as catalog-service reads it). */
    static Object serviceValue(String serviceRef) {
        return serviceRef.matches("\\d{1,9}") ? (Object) Integer.valueOf(serviceRef) : serviceRef;
    }
}
