package com.fetchsms.common.purchase;

import java.util.List;
import java.util.function.Function;

import org.jboss.logging.Logger;

import com.fetchsms.common.events.EventPayload;
import com.fetchsms.common.outbox.Outbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * One pass of a purchase service's expiry job (verifications whose window closed, rentals whose term ended): in one
 * transaction, the service's repository moves a batch of due rows to {@code expired} (taken {@code FOR UPDATE SKIP
 * LOCKED} and changed only while still running, so replicas never expire one twice) and each gets its expiry event in
 * the outbox. A failed pass is logged and left to the next one.
 */
public final class ExpiryPass {

    private ExpiryPass() {
    }

    /** Expires one batch; answers how many. */
    public static <T> Uni<Integer> run(Pool pool, Outbox outbox, Function<SqlConnection, Uni<List<T>>> expireDue,
            Function<T, EventPayload> expiredEvent) {
        return pool.withTransaction(tx -> expireDue.apply(tx).call(expired -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (T row : expired) {
                chain = chain.chain(() -> outbox.publish(tx, expiredEvent.apply(row)).replaceWithVoid());
            }
            return chain;
        })).map(List::size);
    }

    /** A scheduled pass: a failure is logged, never thrown (the next pass retries). */
    public static Uni<Void> logged(Uni<Integer> pass, Logger log) {
        return pass.onFailure().recoverWithItem(failure -> {
            log.warnf("Expiry pass failed, next pass retries: %s", failure.getMessage());
            return 0;
        }).replaceWithVoid();
    }
}
