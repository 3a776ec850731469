package com.fetchsms.common.purchase;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.events.CancelReason;
import com.fetchsms.common.ids.Refs;
import com.fetchsms.common.messaging.ArrivalWatermarks;
import com.fetchsms.common.outbox.Outbox;
import com.fetchsms.common.security.Caller;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;

/**
 * Creating, reading, listing, cancelling, reporting, expiring and recovering the purchases of one product (decision 0017): each
 * service's service extends it with its {@link PurchaseProduct} and {@link PurchaseTable}, and adds only what is its
 * own (a rental's messages). Transactions are owned here.
 */
public class PurchaseService<P extends Purchase> {

    private static final Logger LOG = Logger.getLogger(PurchaseService.class);
    private static final int EXPIRY_BATCH = 200;
    private static final int RECOVERY_BATCH = 20;
    private static final int REF_ATTEMPTS = 5;

    /** A create's answer: the purchase, and whether an Idempotency-Key replay answered it. */
    public record Created<P>(P purchase, boolean replayed) {
    }

    protected final Pool pool;
    private final PurchaseProduct<P> product;
    private final PurchaseTable<P> table;
    private final PurchaseSaga<P> saga;
    private final Outbox outbox;
    private final ArrivalWatermarks watermarks;
    private final PurchaseWatch watch;

    public PurchaseService(PurchasePlatform platform, PurchaseProduct<P> product, PurchaseTable<P> table) {
        this.pool = platform.pool;
        this.product = product;
        this.table = table;
        this.outbox = platform.outbox;
        this.watermarks = platform.watermarks;
        this.watch = platform.watch;
        this.saga = new PurchaseSaga<>(platform.pool, platform.catalog, platform.wallet, product, table,
                platform.registry);
    }

    /**
     * Buys: a pending row, then the saga ({@link PurchaseSaga#runForRequest}); a test key's purchase
     * ({@link Caller#sandbox()}) is a sandbox purchase, on a sandbox number. With an Idempotency-Key already used,
     * answers what that request got ({@link PurchaseSaga#replay}), also when two requests with it race.
     */
    public Uni<Created<P>> create(Caller caller, PurchaseRequest request, String idempotencyKey) {
        String requestHash = request.hash();
        Uni<Optional<P>> previous = idempotencyKey == null
                ? Uni.createFrom().item(Optional.empty())
                : table.findByKey(pool, caller.accountId(), idempotencyKey);
        return previous.chain(found -> {
            if (found.isPresent()) {
                return replay(found.get(), requestHash);
            }
            return insertPending(caller, request, idempotencyKey, requestHash, 1)
                    .onFailure(failure -> isUniqueViolation(failure, "idempotency_key"))
                    .recoverWithUni(() -> table.findByKey(pool, caller.accountId(), idempotencyKey)
                            .chain(raced -> replay(raced.orElseThrow(), requestHash)).map(Created::purchase))
                    .chain(pending -> Purchase.PENDING.equals(pending.status()) && pending.failureStatus() == null
                            ? saga.runForRequest(pending).map(done -> new Created<>(done, false))
                            : Uni.createFrom().item(new Created<>(pending, true)));
        });
    }

    /**
     * Inserts the saga's pending row, one statement committed on its own (no BEGIN and COMMIT round trips); a (rare)
     * collision of the random ref is retried with another.
     */
    private Uni<P> insertPending(Caller caller, PurchaseRequest request, String idempotencyKey, String requestHash,
            int attempt) {
        return table.insertPending(pool, UUID.randomUUID(), Refs.next(product.refPrefix()), caller.accountId(),
                caller.sandbox(), request, idempotencyKey, requestHash)
                .onFailure(failure -> attempt < REF_ATTEMPTS && isUniqueViolation(failure, "ref"))
                .recoverWithUni(() -> insertPending(caller, request, idempotencyKey, requestHash, attempt + 1));
    }

    private static <P extends Purchase> Uni<Created<P>> replay(P existing, String requestHash) {
        return PurchaseSaga.replay(existing, requestHash).map(done -> new Created<>(done, true));
    }

    /** The caller's purchase; 404 when it is another account's or the saga has not finished it. */
    public Uni<P> get(Caller caller, UUID id) {
        return table.find(pool, id).map(found -> owned(caller, found));
    }

    /**
     * A long poll: the caller's purchase, answered as soon as it is no longer waiting (a code, a message, a cancel,
     * an expiry) or when {@code wait} passes, whichever is first; at once when it is not waiting. While it waits the
     * request holds no thread and no database connection ({@link PurchaseWatch}).
     */
    public Uni<P> get(Caller caller, UUID id, Duration wait) {
        return longPoll(id, wait, () -> get(caller, id), purchase -> !purchase.awaiting());
    }

    /**
     * A long poll of what {@code read} answers about purchase {@code id}: at once when {@code wait} is zero or what it
     * reads is {@code news}; else read again as soon as the purchase changes or {@code wait} passes. The wait is
     * registered before the first read, so a change committed in between is not missed. An answer read again after a
     * change records the push delay from the change's commit ({@code fetchsms_push_delay_seconds{channel="long_poll"}},
     * {@link PurchaseWatch.Wait#answered}).
     */
    protected <T> Uni<T> longPoll(UUID id, Duration wait, Supplier<Uni<T>> read, Predicate<T> news) {
        if (wait.isZero()) {
            return read.get();
        }
        PurchaseWatch.Wait registration = watch.watch(id);
        if (registration == null) {
            return read.get();
        }
        return read.get().chain(found -> {
            if (news.test(found)) {
                registration.close();
                return Uni.createFrom().item(found);
            }
            // the answer read after a change records its push delay (PurchaseWatch.Wait#answered) as it is handed back
            return registration.changed(wait).chain(changed -> read.get()).invoke(answer -> registration.answered());
        }).onTermination().invoke(registration::close); // a failure, or a client gone before the wait began
    }

    /** A purchase changed (committed): its long polls in this replica are answered. */
    protected void changed(UUID id) {
        watch.changed(id);
    }

    /** The {@code wait} of a long poll: whole seconds from 0 to {@code fetchsms.purchase-watch.max-wait}. */
    public Duration waitOf(String wait) {
        if (wait == null || wait.isBlank()) {
            return Duration.ZERO;
        }
        long max = watch.maxWait().toSeconds();
        try {
            long seconds = Long.parseLong(wait.trim());
            if (seconds >= 0 && seconds <= max) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.unprocessable("'wait' must be a whole number of seconds from 0 to " + max);
    }

    /** A page of the caller's purchases, newest first. */
    public Uni<List<P>> list(Caller caller, PurchasePage page) {
        return table.list(pool, caller.accountId(),
                page.active() ? product.activeStatuses() : product.historyStatuses(), page.before(), page.limit());
    }

    /**
     * Cancels a waiting purchase and publishes its cancelled event in the same transaction (the wallet refunds, the
     * catalog takes the number back); cancelling twice answers the cancelled purchase; any other status is a 409 in
     * the product's words.
     */
    public Uni<P> cancel(Caller caller, UUID id) {
        return pool.withTransaction(tx -> table.cancel(tx, id, caller.accountId()).chain(cancelled -> {
            if (cancelled.isPresent()) {
                P purchase = cancelled.get();
                return outbox.publish(tx, product.cancelledEvent(purchase)).replaceWith(purchase);
            }
            return table.find(tx, id).map(found -> {
                P purchase = owned(caller, found);
                if (Purchase.CANCELLED.equals(purchase.status())) {
                    return purchase;
                }
                throw ApiException.conflict(product.cancelRefusal(purchase.status()));
            });
        })).invoke(cancelled -> watch.changed(cancelled.id()));
    }

    /**
     * Reports the account's purchase as not working (decision 0021): while it is waiting, within the product's
     * {@link PurchaseProduct#reportWindow()} and its term, it is cancelled with {@code cancel_reason = 'reported'} and
     * the buyer's {@code reason} (may be null), and its cancelled event carries {@code reason = REPORTED} in the same
     * transaction (the wallet refunds it as any cancel, once; the catalog counts it against the number). Reporting
     * twice answers the reported purchase; otherwise a 409 in the product's words (a code arrived, too late, already
     * ended); another account's or an unknown purchase is 404.
     */
    public Uni<P> report(UUID accountId, UUID id, String reason) {
        return pool.withTransaction(tx -> table.report(tx, id, accountId, reason, product.reportWindow())
                .chain(reported -> {
                    if (reported.isPresent()) {
                        P purchase = reported.get();
                        return outbox.publish(tx, product.cancelledEvent(purchase)).replaceWith(purchase);
                    }
                    return table.find(tx, id).map(found -> {
                        P purchase = owned(accountId, found);
                        if (purchase.cancelReason() == CancelReason.REPORTED) {
                            return purchase;
                        }
                        throw ApiException.conflict(product.reportRefusal(purchase));
                    });
                })).invoke(reported -> watch.changed(reported.id()));
    }

    /**
     * Ends one batch of purchases whose term is over, each with its expired event ({@link ExpiryPass}); answers how
     * many.
     */
    public Uni<Integer> expireBatch() {
        return ExpiryPass.run(pool, outbox, watermarks, product.smsConsumer(),
                (tx, arrivedUntil) -> table.expireDue(tx, product.config().expiryGrace(), arrivedUntil, EXPIRY_BATCH),
                product::expiredEvent);
    }

    /** A scheduled expiry pass: a failure is logged, the next pass retries. */
    public Uni<Void> expiryPass() {
        return ExpiryPass.logged(expireBatch(), LOG);
    }

    /**
     * A scheduled recovery pass: purchases left {@code pending} by a crash or an unreachable service are leased (so
     * replicas split them) and their saga run again ({@link PurchaseSaga#recoverStale}); every step is idempotent on
     * the purchase id, so a debit that already happened is found, not repeated. A failure is logged, the next pass
     * retries.
     */
    public Uni<Void> recoveryPass() {
        return saga.recoverStale(product.config().recoverAfter(), RECOVERY_BATCH).onFailure()
                .recoverWithItem(failure -> {
                    LOG.warnf("Recovery pass failed, next pass retries: %s", failure.getMessage());
                    return 0;
                }).replaceWithVoid();
    }

    /** A purchase id of a path: not an id is 404, as an unknown one. */
    public UUID id(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
    }

    /** The query of a list request; a bad parameter is 422 naming it. */
    public PurchasePage page(String tab, String before, String limit) {
        return PurchasePage.of(tab, before, limit, product.config().maxPageSize(), product.name());
    }

    private P owned(Caller caller, Optional<P> found) {
        return owned(caller.accountId(), found);
    }

    /** The purchase found, when it is the account's and visible; else 404 as an unknown one. */
    protected P owned(UUID accountId, Optional<P> found) {
        return found.filter(p -> p.accountId().equals(accountId) && p.visible()).orElseThrow(this::notFound);
    }

    private ApiException notFound() {
        return ApiException.notFound(product.noun() + " not found");
    }

    private static boolean isUniqueViolation(Throwable failure, String constraint) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                && String.valueOf(pg.getConstraint()).contains(constraint);
    }
}
