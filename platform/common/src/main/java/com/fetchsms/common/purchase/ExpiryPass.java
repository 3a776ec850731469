package com.fetchsms.common.purchase;

import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.jboss.logging.Logger;

import com.fetchsms.common.events.EventPayload;
import com.fetchsms.common.messaging.ArrivalWatermarks;
import com.fetchsms.common.outbox.Outbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * One pass of a purchase service's expiry job (verifications whose window closed, rentals whose term ended): in one
 * transaction, the service's repository moves a batch of due rows to {@code expired} (taken {@code FOR UPDATE SKIP
 * LOCKED} and changed only while still running, so replicas never expire one twice) and each gets its expiry event in
 * the outbox. A failed pass is logged and left to the next one.
 *
 * <p>
 * A row is due only once its end (plus the grace for a modem that reports late) is behind the complete arrival
 * watermark of the service's SMS consumer ({@link ArrivalWatermarks}, decision 0016): every SMS the platform accepted
 * before then has been applied, so an end is never made final while an SMS accepted in time is still on its way,
 * however long Kafka, sms-ingest or the consumer was away.
 */
public final class ExpiryPass {

    private ExpiryPass() {
    }

    /**
     * Expires one batch; answers how many. {@code expireDue} gets the time before which {@code smsConsumer} has applied
     * every accepted SMS (null: not known yet, nothing may end).
     */
    public static <T> Uni<Integer> run(Pool pool, Outbox outbox, ArrivalWatermarks watermarks, String smsConsumer,
            BiFunction<SqlConnection, Instant, Uni<List<T>>> expireDue, Function<T, EventPayload> expiredEvent) {
        return pool.withTransaction(tx -> watermarks.complete(tx, smsConsumer)
                .chain(arrivedUntil -> expireDue.apply(tx, arrivedUntil)).call(expired -> {
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
