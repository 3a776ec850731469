package com.fetchsms.common.purchase;

import com.fetchsms.common.contract.PurchaseMode;
import com.fetchsms.common.contract.Reservation;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** The purchase-specific parts of the saga: what to reserve, and the state changes of the purchase's own table. */
public interface PurchaseSteps<P extends PendingPurchase> {

    /** What catalog-service sells for it: {@code short} (verification) or {@code long} (rental). */
    PurchaseMode mode();

    /** The term in days for a rental, {@code null} for a verification. */
    Integer days(P pending);

    /** Paid and held: {@code pending} → {@code waiting} with the reservation's number and price. */
    Uni<Optional<P>> markWaiting(SqlConnection tx, P pending, Reservation reservation, int priceCents);

    /** Records a refusal whose compensation is not done yet (the row stays pending). */
    Uni<Void> noteFailure(SqlConnection tx, UUID id, int status, String detail);

    /** {@code pending} → {@code failed}. */
    Uni<Optional<P>> markFailed(SqlConnection tx, UUID id, int status, String detail);

    Uni<Optional<P>> find(SqlClient db, UUID id);

    /** Leases pending purchases older than {@code olderThan} to this replica's recovery for a while. */
    Uni<List<P>> leaseStalePending(SqlConnection tx, Duration olderThan, int limit);
}
