package com.fetchsms.verification.service;

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
import com.fetchsms.verification.config.VerificationConfig;
import com.fetchsms.verification.domain.Verification;
import com.fetchsms.verification.repository.VerificationRepository;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The shared purchase saga ({@link PurchaseSaga}, fetchsms-common) applied to verifications: a number for one code of one service, held for the window.
 */
@Singleton // not a normal scope: the generic superclass has no no-args constructor for a client proxy
public class VerificationSaga extends PurchaseSaga<Verification> {

    public VerificationSaga(Pool pool, CatalogClient catalog, WalletClient wallet, VerificationRepository verifications,
            VerificationConfig config,
            MeterRegistry registry) {
        super(pool, catalog, wallet, new Steps(verifications, config), registry);
    }

    /** How a verification row goes through the saga. */
    static final class Steps implements PurchaseSteps<Verification> {

        private final VerificationRepository verifications;
        private final VerificationConfig config;

        Steps(VerificationRepository verifications, VerificationConfig config) {
            this.verifications = verifications;
            this.config = config;
        }

        @Override
        public PurchaseMode mode() {
            return PurchaseMode.SHORT;
        }

        @Override
        public Integer days(Verification pending) {
            return null;
        }

        @Override
        public Uni<Optional<Verification>> markWaiting(SqlConnection tx, Verification pending, Reservation held,
                int priceCents) {
            return verifications.markWaiting(tx, pending.id(), held.serviceId(), held.service(), held.serviceName(),
                    held.number(), priceCents, config.window());
        }

        @Override
        public Uni<Void> noteFailure(SqlConnection tx, UUID id, int status, String detail) {
            return verifications.noteFailure(tx, id, status, detail);
        }

        @Override
        public Uni<Optional<Verification>> markFailed(SqlConnection tx, UUID id, int status, String detail) {
            return verifications.markFailed(tx, id, status, detail);
        }

        @Override
        public Uni<Optional<Verification>> find(SqlClient db, UUID id) {
            return verifications.find(db, id);
        }

        @Override
        public Uni<List<Verification>> leaseStalePending(SqlConnection tx, Duration olderThan, int limit) {
            return verifications.leaseStalePending(tx, olderThan, limit);
        }
    }
}
