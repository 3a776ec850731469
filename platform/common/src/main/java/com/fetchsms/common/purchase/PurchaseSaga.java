package com.fetchsms.common.purchase;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jboss.logging.Logger;

import com.fetchsms.common.client.CatalogClient;
import com.fetchsms.common.client.UpstreamUnavailableException;
import com.fetchsms.common.contract.PurchaseMode;
import com.fetchsms.common.contract.Reservation;
import com.fetchsms.common.contract.ReservationStatus;
import com.fetchsms.common.client.WalletClient;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.input.IdempotencyKeys;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The purchase saga of verifications and rentals (ARCHITECTURE.md, decision 0010): pending row → reserve a number and
 * its price at catalog-service → debit the wallet (idempotency key = purchase id) → waiting. A refusal is compensated
 * (the reservation released) and recorded; a price above the buyer's cap ({@code max_price_cents}) is refused by
 * catalog-service before it reserves anything, and checked again here before the debit (the saga never pays more than
 * the cap, whoever runs it); an unreachable service leaves the row pending for the recovery pass
 * ({@link #recoverStale}), which runs the same steps again — safe because every step is idempotent on the purchase
 * id. A sandbox purchase (a test key's, {@link Purchase#sandbox()}) asks for a sandbox number on every run, and a
 * reservation that is not of its world (a live number for a sandbox purchase, or the reverse) is given back before any
 * debit. The product ({@link PurchaseProduct}) says what to reserve and for how long; its table
 * ({@link PurchaseTable}) holds the state changes, each one conditional statement committed on its own (a single
 * statement is atomic: an explicit transaction around it would only add the BEGIN and COMMIT round trips).
 *
 * <p>
 * Every run is counted once with its {@link Outcome} in {@code fetchsms_purchases_total{product, outcome, via}}:
 * {@code via} is {@code request} for a create request, {@code recovery} for the recovery pass (which settles the
 * purchases whose outcome was {@code upstream_unavailable}).
 */
public class PurchaseSaga<P extends Purchase> {

    private static final Logger LOG = Logger.getLogger(PurchaseSaga.class);

    /** How a run of the saga ended; the {@code outcome} tag of {@code fetchsms_purchases_total}. */
    public enum Outcome {
        /** Paid and held: the purchase is waiting for its code (201). */
        CREATED,
        /** The wallet refused the debit for a short balance (402); the reservation was released. */
        INSUFFICIENT_FUNDS,
        /** catalog-service does not sell that service in this mode (404). */
        UNKNOWN_SERVICE,
        /** No number available for the service (and area code) (409). */
        OUT_OF_STOCK,
        /** catalog-service refused the request itself: bad term or area code (400/422). */
        INVALID_REQUEST,
        /** The price is above the buyer's {@code max_price_cents} (409 with the price); nothing was charged. */
        PRICE_ABOVE_CAP,
        /** Another refusal of catalog-service or the wallet (e.g. a debit conflict). */
        REFUSED,
        /** The reservation had already been given back by a parallel run; nothing was charged. */
        ABANDONED,
        /** catalog-service or the wallet could not be reached in time: unknown outcome, left to recovery (503). */
        UPSTREAM_UNAVAILABLE,
        /** The saga failed otherwise (e.g. its own database); left to recovery. */
        ERROR;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A refusal that ended the purchase, with the outcome it is counted as. */
    static final class Refused extends ApiException {
        final Outcome outcome;

        Refused(int status, String detail, Integer priceCents, Outcome outcome) {
            super(status, detail, priceCents);
            this.outcome = outcome;
        }
    }

    private final Pool pool;
    private final CatalogClient catalog;
    private final WalletClient wallet;
    private final PurchaseProduct<P> product;
    private final PurchaseTable<P> table;
    private final Map<Outcome, Counter> byRequest = new EnumMap<>(Outcome.class);
    private final Map<Outcome, Counter> byRecovery = new EnumMap<>(Outcome.class);

    public PurchaseSaga(Pool pool, CatalogClient catalog, WalletClient wallet, PurchaseProduct<P> product,
            PurchaseTable<P> table, MeterRegistry registry) {
        this.pool = pool;
        this.catalog = catalog;
        this.wallet = wallet;
        this.product = product;
        this.table = table;
        for (Outcome outcome : Outcome.values()) {
            byRequest.put(outcome, counter(registry, product.name(), outcome, "request"));
            byRecovery.put(outcome, counter(registry, product.name(), outcome, "recovery"));
        }
    }

    private static Counter counter(MeterRegistry registry, String product, Outcome outcome, String via) {
        return Counter.builder("fetchsms.purchases").tag("product", product).tag("outcome", outcome.tag())
                .tag("via", via).description("Runs of the purchase saga by product and outcome").register(registry);
    }

    /** The outcome a failed run is counted as. */
    static Outcome outcomeOf(Throwable failure) {
        if (failure instanceof Refused refused) {
            return refused.outcome;
        }
        if (failure instanceof UpstreamUnavailableException) {
            return Outcome.UPSTREAM_UNAVAILABLE;
        }
        return Outcome.ERROR;
    }

    private Uni<P> counted(Uni<P> run, Map<Outcome, Counter> counters) {
        return run.invoke(() -> counters.get(Outcome.CREATED).increment())
                .onFailure().invoke(failure -> counters.get(outcomeOf(failure)).increment());
    }

    /**
     * Runs (or resumes) the saga of a pending purchase. Answers the waiting purchase, or fails with the client error
     * that ended it, or with {@link UpstreamUnavailableException} when the outcome is not known yet.
     */
    public Uni<P> run(P pending) {
        if (pending.failureStatus() != null) {
            return compensate(pending, pending.failureStatus(), pending.failureDetail(), pending.failurePriceCents());
        }
        Integer cap = pending.maxPriceCents();
        return catalog.reserve(pending.id(), pending.serviceRef(), product.mode(), product.days(pending),
                pending.areaCode(), cap, pending.sandbox()).chain(reservation -> {
                    if (!reservation.ok()) {
                        // nothing is held: a refusal of the reservation needs no compensation. The price of a
                        // refusal is the cap's (a 409 naming the current price)
                        Integer refusedPrice = cap != null && reservation.status() == 409
                                ? reservation.priceCents()
                                : null;
                        return fail(pending, reservation.status(), reservation.detail(), refusedPrice,
                                refusedPrice != null
                                        ? Outcome.PRICE_ABOVE_CAP
                                        : reservationRefusal(reservation.status()));
                    }
                    Reservation held = reservation.body();
                    if (held.status() != ReservationStatus.ACTIVE) {
                        // the purchase's reservation was already given back (a parallel run compensated it): never
                        // pay for a number that is no longer held
                        return fail(pending, 409, "The purchase was abandoned; nothing was charged", null,
                                Outcome.ABANDONED);
                    }
                    if (held.sandbox() != pending.sandbox()) {
                        // a live number for a sandbox purchase (a catalog that does not know the sandbox) or the
                        // reverse: never paid for, given back
                        return compensate(pending, 409, pending.sandbox()
                                ? "No sandbox number is available right now; nothing was charged"
                                : "No number is available right now; nothing was charged", null);
                    }
                    int price = held.priceCents();
                    if (cap != null && price > cap) {
                        // a reservation the catalog held anyway (made before the cap reached it): give it back
                        ApiException above = ApiException.priceAboveCap(price, cap);
                        return compensate(pending, above.status(), above.detail(), price);
                    }
                    return wallet.debit(pending.id(), pending.accountId(), price, pending.ref())
                            .chain(debit -> debit.ok()
                                    ? finish(pending, held, price)
                                    : compensate(pending, debit.status(), debit.detail(), null));
                });
    }

    /**
     * The saga for a create request: as {@link #run}, but an unknown outcome is a 503 telling the client to retry
     * with its Idempotency-Key (recovery finishes or compensates the purchase meanwhile).
     */
    public Uni<P> runForRequest(P pending) {
        return counted(run(pending), byRequest).onFailure(UpstreamUnavailableException.class)
                .transform(e -> new ApiException(503,
                        "The purchase could not be completed right now; it will be finished or refunded "
                                + "automatically. Retry with the same Idempotency-Key to see its outcome"));
    }

    /**
     * What a create with an Idempotency-Key that was already used answers: the purchase it made, the refusal it got,
     * 409 while it is still running, 422 when the request differs.
     */
    public static <P extends Purchase> Uni<P> replay(P existing, String requestHash) {
        try {
            IdempotencyKeys.requireSameRequest(existing.requestHash(), requestHash);
        } catch (ApiException different) {
            return Uni.createFrom().failure(different);
        }
        if (Purchase.FAILED.equals(existing.status())) {
            return Uni.createFrom().failure(new ApiException(existing.failureStatus(), existing.failureDetail(),
                    existing.failurePriceCents()));
        }
        if (Purchase.PENDING.equals(existing.status())) {
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
        return table.leaseStalePending(pool, olderThan, limit).chain(stale -> {
            if (stale.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            List<Uni<Boolean>> runs = stale.stream().map(this::recover).toList();
            return Uni.join().all(runs).andCollectFailures()
                    .map(done -> (int) done.stream().filter(Boolean::booleanValue).count());
        });
    }

    private Uni<Boolean> recover(P pending) {
        return counted(run(pending), byRecovery).map(finished -> {
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

    private Uni<P> finish(P pending, Reservation held, int price) {
        return table.markWaiting(pool, pending.id(), held, price, product.term(pending))
                .chain(updated -> updated.isPresent()
                        ? Uni.createFrom().item(updated.get())
                        // another replica's recovery finished it first
                        : table.find(pool, pending.id()).map(found -> found.orElseThrow()));
    }

    /**
     * Gives the number back, then records the refusal (with the current price when it is the cap's); until the release
     * succeeds the row stays pending.
     */
    private Uni<P> compensate(P pending, int status, String detail, Integer priceCents) {
        return table.noteFailure(pool, pending.id(), status, detail, priceCents)
                .chain(() -> catalog.release(pending.id()))
                .chain(released -> {
                    if (!released.ok() && released.status() != 404) {
                        LOG.warnf("Release of %s answered %d; recovery will retry", pending.id(), released.status());
                        return Uni.createFrom().failure(new UpstreamUnavailableException("release refused"));
                    }
                    return fail(pending, status, detail, priceCents, priceCents != null
                            ? Outcome.PRICE_ABOVE_CAP
                            : status == 402 ? Outcome.INSUFFICIENT_FUNDS : Outcome.REFUSED);
                });
    }

    private Uni<P> fail(P pending, int status, String detail, Integer priceCents, Outcome outcome) {
        int clientStatus = status == 400 || status == 402 || status == 404 || status == 409 || status == 422
                ? status
                : 409;
        return table.markFailed(pool, pending.id(), clientStatus, detail, priceCents)
                .chain(() -> Uni.createFrom().failure(new Refused(clientStatus, detail, priceCents, outcome)));
    }

    /** catalog-service's refusals of a reservation (decision 0010): 404 unknown service, 409 out of stock, 400/422. */
    static Outcome reservationRefusal(int status) {
        return switch (status) {
            case 404 -> Outcome.UNKNOWN_SERVICE;
            case 409 -> Outcome.OUT_OF_STOCK;
            case 400, 422 -> Outcome.INVALID_REQUEST;
            default -> Outcome.REFUSED;
        };
    }

}
