package com.fetchsms.catalog.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.catalog.config.CatalogConfig;
import com.fetchsms.catalog.domain.CatalogEntry;
import com.fetchsms.catalog.domain.NumberHealth;
import com.fetchsms.catalog.domain.Retirement;
import com.fetchsms.catalog.domain.ServiceRef;
import com.fetchsms.catalog.repository.NumberHealthRepository;
import com.fetchsms.catalog.repository.ServiceRepository;
import com.fetchsms.common.contract.PurchaseMode;
import com.fetchsms.common.contract.Reservation;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.phone.PhoneNumbers;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Counts what numbers fail and retires the ones that keep failing (decision 0022). A failure of a (number, service)
 * pair is a verification reported as not working, or one that expired while another number of the service delivered a
 * code within its window; {@code fetchsms.catalog.retirement.failures} of them in a row retire the number from the
 * service (a delivered code ends the run). A reported rental counts against the number itself;
 * {@code fetchsms.catalog.retirement.rental-reports} of them retire it as a whole, by the operator's retire path.
 * Everything happens in the transaction of the event that caused it. A sandbox purchase (a test key's) counts for
 * nothing: sandbox numbers are never counted against nor retired, and their codes are not the service's live codes.
 */
@ApplicationScoped
public class NumberHealthService {

    private static final Logger LOG = Logger.getLogger(NumberHealthService.class);

    private final Pool pool;
    private final NumberHealthRepository health;
    private final ServiceRepository services;
    private final InventoryService inventory;
    private final CatalogConfig config;

    public NumberHealthService(Pool pool, NumberHealthRepository health, ServiceRepository services,
            InventoryService inventory, CatalogConfig config) {
        this.pool = pool;
        this.health = health;
        this.services = services;
        this.inventory = inventory;
        this.config = config;
    }

    // ---------------------------------------------------------------- purchase outcomes (consumer's transaction)

    /** A verification reported as not working ended {@code ended} (empty: it had ended before; nothing counts). */
    public Uni<Void> reported(SqlConnection tx, Optional<Reservation> ended) {
        if (ended.isEmpty() || ended.get().mode() != PurchaseMode.SHORT || ended.get().sandbox()) {
            return Uni.createFrom().voidItem();
        }
        return failed(tx, ended.get(), true);
    }

    /**
     * A verification expired at {@code expiredAt} with no code, ending {@code ended}. It counts only if another number
     * delivered a code for the service between the reservation and the expiry: the service was sending codes, this
     * number did not get one. An expiry while the service sends nothing to anyone says nothing about the number.
     */
    public Uni<Void> expired(SqlConnection tx, Optional<Reservation> ended, Instant expiredAt) {
        if (ended.isEmpty() || ended.get().mode() != PurchaseMode.SHORT || ended.get().sandbox()) {
            return Uni.createFrom().voidItem();
        }
        Reservation reservation = ended.get();
        Instant until = expiredAt == null ? Instant.now() : expiredAt;
        return health.otherNumberDelivered(tx, reservation.serviceId(), reservation.number(),
                reservation.createdAt(), until)
                .chain(counts -> counts ? failed(tx, reservation, false) : Uni.createFrom().voidItem());
    }

    private Uni<Void> failed(SqlConnection tx, Reservation reservation, boolean reported) {
        return health.recordFailure(tx, reservation.number(), reservation.serviceId(), reported,
                reservation.createdAt()).chain(counted -> {
                    if (counted.retired() || counted.consecutiveFailures() < config.retirement().failures()) {
                        return Uni.createFrom().voidItem();
                    }
                    return health.retirePair(tx, reservation.number(), reservation.serviceId(),
                            reservation.purchaseId()).invoke(
                                    retired -> retired.ifPresent(id -> LOG.infof(
                                            "Retired %s from %s after %d failures in a row (%d reports, %d expiries)",
                                            reservation.number(), reservation.service(), counted.consecutiveFailures(),
                                            counted.reports(), counted.expiries())))
                            .replaceWithVoid();
                });
    }

    /**
     * A rental reported as not working ended {@code ended}: counts against the number; at the threshold the number is
     * retired as a whole (state {@code retired}, published on {@code inventory.numbers}) and the retirement recorded.
     */
    public Uni<Void> rentalReported(SqlConnection tx, Optional<Reservation> ended) {
        if (ended.isEmpty() || ended.get().mode() != PurchaseMode.LONG || ended.get().sandbox()) {
            return Uni.createFrom().voidItem();
        }
        Reservation rental = ended.get();
        return health.recordRentalReport(tx, rental.number()).chain(reports -> {
            if (reports < config.retirement().rentalReports()) {
                return Uni.createFrom().voidItem();
            }
            return inventory.retire(tx, rental.number()).chain(outcome -> {
                if (outcome != InventoryService.RetireOutcome.RETIRED) {
                    return Uni.createFrom().voidItem();
                }
                LOG.infof("Retired %s: its rental was reported %d time(s)", rental.number(), reports);
                return health.recordNumberRetirement(tx, rental.number(), rental.purchaseId());
            }).onFailure(InventoryService.Held.class).recoverWithUni(held -> {
                // not reachable today (a rented number holds nothing else); the count stays for the operator to see
                LOG.warnf("Not retiring %s for its reported rental: %s", rental.number(), held.getMessage());
                return Uni.createFrom().voidItem();
            });
        });
    }

    // ---------------------------------------------------------------- operators

    /** A number's health per service; 404 when the number is not in the inventory. */
    public Uni<NumberHealth> find(String input) {
        String number = number(input);
        return health.find(pool, number)
                .map(found -> found.orElseThrow(() -> ApiException.notFound("Unknown number: " + input)));
    }

    public Uni<List<Retirement>> list(Long before, int limit) {
        return health.list(pool, before, limit);
    }

    /**
     * Undoes the retirement of a number from a service: the pair is sold again (unless it delivered a code for the
     * service, which blocks it for good anyway) and its run of failures starts again from zero. Idempotent; 404 for an
     * unknown number or service.
     */
    public Uni<Void> undo(String input, ServiceRef ref) {
        String number = number(input);
        return pool.withTransaction(tx -> services.find(tx, ref).chain(service -> {
            CatalogEntry entry = service.orElseThrow(() -> ApiException.notFound("Unknown service: " + ref));
            return health.find(tx, number).chain(found -> {
                if (found.isEmpty()) {
                    throw ApiException.notFound("Unknown number: " + input);
                }
                return health.undo(tx, number, entry.id()).invoke(undone -> {
                    if (undone) {
                        LOG.infof("Operator gave %s back to %s", number, entry.slug());
                    }
                });
            });
        })).replaceWithVoid();
    }

    private static String number(String input) {
        return PhoneNumbers.toE164(input).orElseThrow(
                () -> ApiException.unprocessable("'number' must be a US number (E.164, +1NXXNXXXXXX)"));
    }
}
