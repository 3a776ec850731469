package com.fetchsms.rental.service;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Singleton;

import com.fetchsms.common.client.CatalogClient;
import com.fetchsms.common.client.WalletClient;
import com.fetchsms.common.contract.PurchaseMode;
import com.fetchsms.common.contract.Reservation;
import com.fetchsms.common.purchase.PurchaseSaga;
import com.fetchsms.common.purchase.PurchaseSteps;
import com.fetchsms.rental.config.RentalConfig;
import com.fetchsms.rental.domain.Rental;
import com.fetchsms.rental.repository.RentalRepository;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The shared purchase saga ({@link PurchaseSaga}, fetchsms-common) applied to rentals: a pristine number held exclusively for the term.
 */
@Singleton // not a normal scope: the generic superclass has no no-args constructor for a client proxy
public class RentalSaga extends PurchaseSaga<Rental> {

    public RentalSaga(Pool pool, CatalogClient catalog, WalletClient wallet, RentalRepository rentals,
            RentalConfig config,
            MeterRegistry registry) {
        super(pool, catalog, wallet, new Steps(rentals, config), registry);
    }

    /** How a rental row goes through the saga. */
    static final class Steps implements PurchaseSteps<Rental> {

        private final RentalRepository rentals;
        private final RentalConfig config;

        Steps(RentalRepository rentals, RentalConfig config) {
            this.rentals = rentals;
            this.config = config;
        }

        @Override
        public PurchaseMode mode() {
            return PurchaseMode.LONG;
        }

        @Override
        public Integer days(Rental pending) {
            return pending.days();
        }

        @Override
        public Uni<Optional<Rental>> markWaiting(SqlConnection tx, Rental pending, Reservation held, int priceCents) {
            return rentals.markWaiting(tx, pending.id(), held.serviceId(), held.service(), held.serviceName(),
                    held.number(), priceCents,
                    config.dayLength().multipliedBy(pending.days()));
        }

        @Override
        public Uni<Void> noteFailure(SqlConnection tx, UUID id, int status, String detail) {
            return rentals.noteFailure(tx, id, status, detail);
        }

        @Override
        public Uni<Optional<Rental>> markFailed(SqlConnection tx, UUID id, int status, String detail) {
            return rentals.markFailed(tx, id, status, detail);
        }

        @Override
        public Uni<Optional<Rental>> find(SqlClient db, UUID id) {
            return rentals.find(db, id);
        }

        @Override
        public Uni<List<Rental>> leaseStalePending(SqlConnection tx, Duration olderThan, int limit) {
            return rentals.leaseStalePending(tx, olderThan, limit);
        }
    }
}
