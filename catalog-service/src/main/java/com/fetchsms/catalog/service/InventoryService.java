package com.fetchsms.catalog.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fetchsms.catalog.config.CatalogConfig;
import com.fetchsms.catalog.domain.CatalogEntry;
import com.fetchsms.catalog.domain.InvalidNumbers;
import com.fetchsms.common.contract.PurchaseMode;
import com.fetchsms.catalog.domain.PhoneNumber;
import com.fetchsms.catalog.domain.Quote;
import com.fetchsms.common.contract.Reservation;
import com.fetchsms.common.contract.ReservationStatus;
import com.fetchsms.catalog.domain.ServiceRef;
import com.fetchsms.catalog.repository.NumberHealthRepository;
import com.fetchsms.catalog.repository.NumberRepository;
import com.fetchsms.catalog.repository.ReservationRepository;
import com.fetchsms.catalog.repository.SandboxNumberRepository;
import com.fetchsms.catalog.repository.ServiceRepository;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.events.InventoryNumberChanged;
import com.fetchsms.common.outbox.Outbox;
import com.fetchsms.common.phone.PhoneNumbers;
import com.fetchsms.common.sandbox.Sandbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/**
 * The phone-number inventory: importing and retiring numbers, reserving them for purchases and ending those
 * reservations. Safe with many replicas: allocation relies on PostgreSQL row locks, not on memory.
 */
@ApplicationScoped
public class InventoryService {

    private static final Logger LOG = Logger.getLogger(InventoryService.class);
    /** Imports at least this large refresh the planner statistics of the inventory at once. */
    private static final int ANALYZE_AFTER_IMPORT = 100;

    /**
     * A reservation request after validation; {@code maxPriceCents} is the buyer's price cap (null: none);
     * {@code sandbox}: a test key's purchase, given only a sandbox number.
     */
    public record ReservationRequest(UUID purchaseId, ServiceRef service, PurchaseMode mode, Integer days,
            String areaCode, Integer maxPriceCents, boolean sandbox) {
    }

    /** A reservation and whether this call created it (false: the purchase already had it). */
    public record ReservationOutcome(Reservation reservation, boolean created) {
    }

    /**
     * Outcome of an import: numbers added, numbers skipped (already in the inventory, or repeated in the request) and,
     * only for an import with {@code invalid: skip}, the entries that were not US numbers, as given, in request order.
     */
    public record ImportResult(
            int added,
            int skipped,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Only when the request asked for `invalid: skip`: the entries that were not US numbers, exactly as given, in request order (empty when all were valid)", nullable = true) List<String> invalid) {
    }

    private static final class Contended extends RuntimeException {
        Contended() {
            super(null, null, false, false);
        }
    }

    private final Pool pool;
    private final CatalogService catalog;
    private final ServiceRepository services;
    private final NumberRepository numbers;
    private final ReservationRepository reservations;
    private final Outbox outbox;
    private final CatalogConfig config;
    private final NumberHealthRepository health;
    private final SandboxNumberRepository sandbox;

    public InventoryService(Pool pool, CatalogService catalog, ServiceRepository services, NumberRepository numbers,
            ReservationRepository reservations, Outbox outbox, CatalogConfig config, NumberHealthRepository health,
            SandboxNumberRepository sandbox) {
        this.pool = pool;
        this.sandbox = sandbox;
        this.health = health;
        this.catalog = catalog;
        this.services = services;
        this.numbers = numbers;
        this.reservations = reservations;
        this.outbox = outbox;
        this.config = config;
    }

    // ---------------------------------------------------------------- reservations

    /**
     * Reserves a number for a purchase and prices it. Idempotent on {@code purchase_id}: the same request again answers
     * the same reservation; the same purchase with other parameters is a 409. A price above the request's
     * {@code max_price_cents} is a 409 with the price ({@link ApiException#priceAboveCap}) and reserves nothing. A
     * sandbox request is given a sandbox number ({@link SandboxNumberRepository}) and a live one a live number, never
     * the other; prices, the cap and the answers are the same for both.
     */
    public Uni<ReservationOutcome> reserve(ReservationRequest request) {
        return attempt(request, 1);
    }

    /**
     * One attempt in one transaction of two statements: the claim (service, existing reservation, term price and a
     * locked candidate) and the take, which re-checks the candidate in a fresh snapshot and inserts the reservation.
     */
    private Uni<ReservationOutcome> attempt(ReservationRequest request, int attempt) {
        int start = ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE);
        return pool.withTransaction(tx -> claim(tx, request, request.purchaseId(), request.service(),
                request.mode(), request.days(), request.areaCode(), start).chain(claim -> {
                    if (claim.existing().isPresent()) {
                        return Uni.createFrom().item(replay(claim.existing().get(), request));
                    }
                    CatalogEntry entry = CatalogService.check(claim.service(), request.service(), request.mode());
                    return catalog.price(tx, entry, request.mode(), request.days(), request.areaCode() != null,
                            claim.termCents())
                            .chain(quote -> {
                                if (request.maxPriceCents() != null && quote.totalCents() > request.maxPriceCents()) {
                                    // refused before anything is taken: the transaction rolls back the claim
                                    throw ApiException.priceAboveCap(quote.totalCents(), request.maxPriceCents());
                                }
                                return allocate(tx, request, entry, quote, claim.candidate());
                            });
                })).onFailure(InventoryService::isRetryable).recoverWithUni(failure -> {
                    if (isDuplicatePurchase(failure)) {
                        return pool.withTransaction(tx -> reservations.findByPurchase(tx, request.purchaseId()))
                                .map(found -> replay(found.orElseThrow(), request));
                    }
                    if (attempt >= config.reservationAttempts()) {
                        return Uni.createFrom().failure(outOfStock(request));
                    }
                    return attempt(request, attempt + 1);
                });
    }

    /**
     * The claim of a live request ({@link ReservationRepository}, from {@code start}) or of a sandbox one
     * ({@link SandboxNumberRepository}, among the configured sandbox area codes).
     */
    private Uni<ReservationRepository.Claim> claim(SqlConnection tx, ReservationRequest request, UUID purchaseId,
            ServiceRef service, PurchaseMode mode, Integer days, String areaCode, int start) {
        return request.sandbox()
                ? sandbox.claim(tx, purchaseId, service, mode, days, areaCode, config.sandbox().areaCodes())
                : reservations.claim(tx, purchaseId, service, mode, days, areaCode, start);
    }

    private Uni<ReservationOutcome> allocate(SqlConnection tx, ReservationRequest request, CatalogEntry entry,
            Quote quote, Optional<String> candidate) {
        String number = candidate.orElseThrow(() -> outOfStock(request));
        UUID id = UUID.randomUUID();
        if (request.sandbox()) {
            // the number stays a sandbox number: nothing to publish
            return sandbox.take(tx, id, request.purchaseId(), number, entry.id(), request.mode(), request.days(),
                    request.areaCode(), quote.totalCents())
                    .map(taken -> new ReservationOutcome(taken.orElseThrow(Contended::new), true));
        }
        if (request.mode() == PurchaseMode.SHORT) {
            return reservations.takeShort(tx, id, request.purchaseId(), number, entry.id(), request.areaCode(),
                    quote.totalCents())
                    .map(taken -> new ReservationOutcome(taken.orElseThrow(Contended::new), true));
        }
        return reservations.takeLong(tx, id, request.purchaseId(), number, entry.id(), request.days(),
                request.areaCode(), quote.totalCents()).chain(taken -> {
                    ReservationRepository.Rented rented = taken.orElseThrow(Contended::new);
                    return publishState(tx, number, rented.gatewayId(), PhoneNumber.RENTED)
                            .replaceWith(new ReservationOutcome(rented.reservation(), true));
                });
    }

    private static ReservationOutcome replay(Reservation existing, ReservationRequest request) {
        boolean same = existing.mode() == request.mode()
                && existing.sandbox() == request.sandbox()
                && Objects.equals(existing.days(), request.days())
                && Objects.equals(existing.areaCode(), request.areaCode())
                && (request.service().id() != null
                        ? request.service().id() == existing.serviceId()
                        : request.service().slug().equals(existing.service()));
        if (!same) {
            throw ApiException.conflict("Purchase " + request.purchaseId() + " already holds a different reservation");
        }
        return new ReservationOutcome(existing, false);
    }

    private static ApiException outOfStock(ReservationRequest request) {
        String what = request.mode() == PurchaseMode.LONG ? "long-term rentals" : "short-term verifications";
        String where = request.areaCode() == null ? "" : " in area code " + request.areaCode();
        return ApiException.conflict("Out of stock for " + what + where + " (" + request.service() + ")");
    }

    private static boolean isRetryable(Throwable failure) {
        return failure instanceof Contended || failure instanceof PgException pg && "23505".equals(pg.getSqlState());
    }

    private static boolean isDuplicatePurchase(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                && String.valueOf(pg.getConstraint()).contains("purchase_id");
    }

    public Uni<Reservation> find(UUID purchaseId) {
        return reservations.findByPurchase(pool, purchaseId)
                .map(r -> r.orElseThrow(() -> ApiException.notFound("No reservation for purchase " + purchaseId)));
    }

    /** Gives a reservation back (cancel, expiry, failed payment); idempotent. */
    public Uni<Reservation> release(UUID purchaseId, String reason) {
        return pool.withTransaction(tx -> release(tx, purchaseId, reason, List.of()))
                .chain(ignored -> find(purchaseId));
    }

    /** A code was delivered (now): the number served the service for good; idempotent. */
    public Uni<Reservation> complete(UUID purchaseId) {
        return pool.withTransaction(tx -> complete(tx, purchaseId, Instant.now())).chain(ignored -> find(purchaseId));
    }

    /**
     * Ends an active reservation in the caller's transaction. For a rental the number returns to the short-term pool,
     * never pristine again, and {@code servicesUsed} (slugs) are recorded so it is not offered for them again.
     */
    public Uni<Optional<Reservation>> release(SqlConnection tx, UUID purchaseId, String reason,
            List<String> servicesUsed) {
        return reservations.end(tx, purchaseId, ReservationStatus.RELEASED, reason, null).chain(ended -> {
            if (ended.isEmpty()) {
                return Uni.createFrom().item(ended);
            }
            Reservation reservation = ended.get();
            if (reservation.mode() != PurchaseMode.LONG || reservation.sandbox()) {
                // a sandbox rental's number stays a sandbox number, used by nothing
                return Uni.createFrom().item(ended);
            }
            return recordUseBySlug(tx, reservation.number(), servicesUsed)
                    .chain(() -> numbers.returnFromRental(tx, reservation.number()))
                    .chain(returned -> returned
                            ? publishState(tx, reservation.number(), PhoneNumber.AVAILABLE)
                            : Uni.createFrom().voidItem())
                    .replaceWith(ended);
        });
    }

    /**
     * A code was delivered at {@code deliveredAt}: ends the verification's reservation, records that the number served
     * the service, and ends the pair's run of failures (decision 0022). A sandbox verification's number records
     * nothing: it serves the service again at once.
     */
    public Uni<Optional<Reservation>> complete(SqlConnection tx, UUID purchaseId, Instant deliveredAt) {
        Instant at = deliveredAt == null ? Instant.now() : deliveredAt;
        return reservations.findByPurchase(tx, purchaseId).chain(found -> {
            if (found.isPresent() && found.get().mode() == PurchaseMode.LONG) {
                throw ApiException.conflict("A rental's reservation ends by release, not by a delivered code");
            }
            return reservations.end(tx, purchaseId, ReservationStatus.COMPLETED, "code_delivered", at)
                    .call(ended -> ended.isEmpty() || ended.get().sandbox()
                            ? Uni.createFrom().voidItem()
                            : numbers.recordUse(tx, ended.get().number(), List.of(ended.get().serviceId()))
                                    .chain(() -> health.recordCodes(tx, List.of(new NumberHealthRepository.Delivered(
                                            ended.get().number(), ended.get().serviceId(), ended.get().createdAt(),
                                            at)))));
        });
    }

    /**
     * {@link #complete(SqlConnection, UUID, Instant)} for many purchases in four statements: ends their active sandbox
     * verifications (which record nothing), then their active live short reservations, and records the pairs served
     * and their codes ({@code deliveredAt[i]} for {@code purchaseIds[i]}).
     * Answers the purchases it completed; the others (a reservation already ended, unknown, or a rental's) are for
     * {@link #complete(SqlConnection, UUID, Instant)} to answer one by one.
     */
    public Uni<Set<UUID>> completeAll(SqlConnection tx, List<UUID> purchaseIds, List<Instant> deliveredAt) {
        if (purchaseIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        List<Instant> at = deliveredAt.stream().map(one -> one == null ? Instant.now() : one).toList();
        return sandbox.completeShort(tx, purchaseIds, at).chain(sandboxed -> {
            if (sandboxed.size() == purchaseIds.size()) {
                return Uni.createFrom().item(sandboxed);
            }
            List<UUID> liveIds = new ArrayList<>();
            List<Instant> liveAt = new ArrayList<>();
            for (int i = 0; i < purchaseIds.size(); i++) {
                if (!sandboxed.contains(purchaseIds.get(i))) {
                    liveIds.add(purchaseIds.get(i));
                    liveAt.add(at.get(i));
                }
            }
            return completeLive(tx, liveIds, liveAt).map(live -> {
                Set<UUID> all = new HashSet<>(sandboxed);
                all.addAll(live);
                return all;
            });
        });
    }

    private Uni<Set<UUID>> completeLive(SqlConnection tx, List<UUID> purchaseIds, List<Instant> at) {
        return reservations.completeShort(tx, purchaseIds, at).chain(completed -> numbers
                .recordUses(tx, completed.stream().map(ReservationRepository.Completed::number).toList(),
                        completed.stream().map(ReservationRepository.Completed::serviceId).toList())
                .chain(() -> health.recordCodes(tx, completed.stream()
                        .map(one -> new NumberHealthRepository.Delivered(one.number(), one.serviceId(),
                                one.reservedAt(), one.deliveredAt()))
                        .toList()))
                .map(ignored -> {
                    Set<UUID> ids = new HashSet<>();
                    completed.forEach(one -> ids.add(one.purchaseId()));
                    return ids;
                }));
    }

    private Uni<Void> recordUseBySlug(SqlClient tx, String number, List<String> slugs) {
        if (slugs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Optional<CatalogEntry>>> lookups = new ArrayList<>();
        new LinkedHashSet<>(slugs).forEach(slug -> lookups.add(services.find(tx, new ServiceRef(null, slug))));
        return Uni.join().all(lookups).andFailFast().chain(found -> {
            List<Integer> ids = found.stream().flatMap(Optional::stream).map(CatalogEntry::id).toList();
            return numbers.recordUse(tx, number, ids);
        });
    }

    // ---------------------------------------------------------------- numbers

    /**
     * Imports numbers served by {@code gatewayId}. Entries that are not US numbers refuse the whole request
     * ({@link InvalidNumbers#REFUSE}, also when {@code onInvalid} is null), or are left out and listed in the answer
     * ({@link InvalidNumbers#SKIP}); the cap of one import counts every entry either way.
     */
    public Uni<ImportResult> addNumbers(UUID gatewayId, List<String> input, InvalidNumbers onInvalid) {
        if (gatewayId == null) {
            throw ApiException.badRequest("'gateway_id' is required");
        }
        if (Sandbox.GATEWAY_ID.equals(gatewayId)) {
            throw ApiException.unprocessable("'gateway_id' is the sandbox's: sandbox numbers are stocked by "
                    + "catalog-service itself (fetchsms.catalog.sandbox.area-codes)");
        }
        if (input == null || input.isEmpty()) {
            throw ApiException.badRequest("'numbers' must list at least one number");
        }
        if (input.size() > config.maxNumbersPerImport()) {
            throw ApiException.unprocessable("At most " + config.maxNumbersPerImport() + " numbers per request");
        }
        List<String> invalid = new ArrayList<>();
        LinkedHashSet<String> normalized = new LinkedHashSet<>();
        for (String raw : input) {
            PhoneNumbers.toE164(raw).ifPresentOrElse(normalized::add, () -> invalid.add(String.valueOf(raw)));
        }
        boolean skipInvalid = onInvalid == InvalidNumbers.SKIP;
        if (!invalid.isEmpty() && !skipInvalid) {
            throw ApiException.unprocessable("Not US numbers in E.164 (+1NXXNXXXXXX): "
                    + String.join(", ", invalid.subList(0, Math.min(5, invalid.size())))
                    + (invalid.size() > 5 ? " and " + (invalid.size() - 5) + " more" : ""));
        }
        List<String> numbersToAdd = new ArrayList<>(normalized);
        int valid = input.size() - invalid.size();
        List<String> listed = skipInvalid ? List.copyOf(invalid) : null;
        if (numbersToAdd.isEmpty()) {
            // every entry was invalid and skipped: nothing to write
            return Uni.createFrom().item(new ImportResult(0, 0, listed));
        }
        return pool.withTransaction(tx -> numbers.addAll(tx, gatewayId, numbersToAdd).call(added -> {
            Instant now = Instant.now();
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (String number : added) {
                chain = chain.chain(() -> outbox.publish(tx, new InventoryNumberChanged(number,
                        PhoneNumbers.areaCode(number), gatewayId, PhoneNumber.AVAILABLE, now)).replaceWithVoid());
            }
            return chain;
        })).call(added -> added.size() < ANALYZE_AFTER_IMPORT
                ? Uni.createFrom().voidItem()
                // fresh statistics right away: with the stale ones of a just-filled table the planner picks a
                // nested-loop plan for the allocation query that is ~50x slower (docs/performance.md)
                : pool.query("ANALYZE phone_number").execute().replaceWithVoid()
                        .onFailure().recoverWithItem(failure -> {
                            LOG.warnf("ANALYZE after import failed: %s", failure.getMessage());
                            return null;
                        }))
                .map(added -> new ImportResult(added.size(), valid - added.size(), listed));
    }

    public Uni<List<PhoneNumber>> listNumbers(String areaCode, String state, String after, int limit) {
        return numbers.list(pool, areaCode, state, after, limit);
    }

    /** Retires a number for good (never reused); refused while something holds it, and for a sandbox number. */
    public Uni<Void> retire(String input) {
        String number = PhoneNumbers.toE164(input)
                .orElseThrow(() -> ApiException.notFound("Unknown number: " + input));
        return pool.withTransaction(tx -> retire(tx, number))
                .onFailure(Held.class).transform(held -> ApiException.conflict(held.getMessage()))
                .invoke(outcome -> {
                    if (outcome == RetireOutcome.UNKNOWN) {
                        throw ApiException.notFound("Unknown number: " + input);
                    }
                    if (outcome == RetireOutcome.SANDBOX) {
                        throw ApiException.conflict("Number " + PhoneNumbers.display(number)
                                + " is a sandbox number (test keys' inventory); sandbox numbers are never retired");
                    }
                }).replaceWithVoid();
    }

    /** What {@link #retire(SqlConnection, String)} did. */
    public enum RetireOutcome {
        RETIRED,
        ALREADY_RETIRED,
        UNKNOWN,
        /** A sandbox number: never retired (test keys' inventory, stocked by catalog-service itself). */
        SANDBOX
    }

    /** The number is held by a purchase and cannot be retired now. */
    public static final class Held extends RuntimeException {
        Held(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Retires a number for good in the caller's transaction and publishes {@code retired} on {@code inventory.numbers}
     * (sms-ingest stops accepting its SMS); fails with {@link Held} while a purchase holds it. The operator's route and
     * the automatic retirement of a reported rental's number (decision 0022) both go through here.
     */
    public Uni<RetireOutcome> retire(SqlConnection tx, String number) {
        return numbers.lock(tx, number).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(RetireOutcome.UNKNOWN);
            }
            PhoneNumber phone = found.get();
            if (PhoneNumber.RETIRED.equals(phone.state())) {
                return Uni.createFrom().item(RetireOutcome.ALREADY_RETIRED);
            }
            if (PhoneNumber.SANDBOX.equals(phone.state())) {
                return Uni.createFrom().item(RetireOutcome.SANDBOX);
            }
            if (phone.activeReservations() > 0) {
                throw new Held("Number " + phone.display() + " is held by " + phone.activeReservations()
                        + " active purchase(s); retire it when they end");
            }
            LOG.infof("Retiring %s", number);
            return numbers.retire(tx, number).chain(() -> publishState(tx, number, PhoneNumber.RETIRED))
                    .replaceWith(RetireOutcome.RETIRED);
        });
    }

    private Uni<Void> publishState(SqlConnection tx, String number, String state) {
        return numbers.gatewayOf(tx, number).chain(gateway -> publishState(tx, number, gateway.orElse(null), state));
    }

    private Uni<Void> publishState(SqlConnection tx, String number, UUID gateway, String state) {
        return outbox.publish(tx, new InventoryNumberChanged(number, PhoneNumbers.areaCode(number), gateway, state,
                Instant.now())).replaceWithVoid();
    }
}
