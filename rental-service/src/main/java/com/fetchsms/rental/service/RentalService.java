package com.fetchsms.rental.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.events.RentalCancelled;
import com.fetchsms.common.ids.Refs;
import com.fetchsms.common.outbox.Outbox;
import com.fetchsms.common.purchase.PurchaseSaga;
import com.fetchsms.common.security.Caller;
import com.fetchsms.rental.domain.Rental;
import com.fetchsms.rental.domain.Sms;
import com.fetchsms.rental.repository.MessageRepository;
import com.fetchsms.rental.repository.RentalRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;

/** Creating, reading, listing and cancelling rentals, and reading their messages. */
@ApplicationScoped
public class RentalService {

    /** A create's answer: the rental, and whether an Idempotency-Key replay answered it. */
    public record Created(Rental rental, boolean replayed) {
    }

    static final List<String> ACTIVE = List.of(Rental.WAITING, Rental.ACTIVE);
    static final List<String> HISTORY = List.of(Rental.EXPIRED, Rental.CANCELLED);

    private final Pool pool;
    private final RentalRepository rentals;
    private final MessageRepository messages;
    private final RentalSaga saga;
    private final Outbox outbox;

    public RentalService(Pool pool, RentalRepository rentals, MessageRepository messages, RentalSaga saga,
            Outbox outbox) {
        this.pool = pool;
        this.rentals = rentals;
        this.messages = messages;
        this.saga = saga;
        this.outbox = outbox;
    }

    public Uni<Created> create(Caller caller, String serviceRef, int days, String areaCode, String idempotencyKey) {
        String requestHash = sha256(serviceRef + "|" + days + "|" + (areaCode == null ? "" : areaCode));
        Uni<Optional<Rental>> previous = idempotencyKey == null
                ? Uni.createFrom().item(Optional.empty())
                : rentals.findByKey(pool, caller.accountId(), idempotencyKey);
        return previous.chain(found -> {
            if (found.isPresent()) {
                return replay(found.get(), requestHash);
            }
            return insertPending(caller, serviceRef, days, areaCode, idempotencyKey, requestHash, 1)
                    .onFailure(RentalService::isDuplicateKey)
                    .recoverWithUni(() -> rentals.findByKey(pool, caller.accountId(), idempotencyKey)
                            .chain(raced -> replay(raced.orElseThrow(), requestHash)).map(Created::rental))
                    .chain(pending -> pending.status().equals(Rental.PENDING) && pending.failureStatus() == null
                            ? runSaga(pending)
                            : Uni.createFrom().item(new Created(pending, true)));
        });
    }

    /** Inserts the saga's pending row; a (rare) collision of the random ref is retried with another. */
    private Uni<Rental> insertPending(Caller caller, String serviceRef, int days, String areaCode,
            String idempotencyKey, String requestHash, int attempt) {
        return pool.withTransaction(tx -> rentals.insertPending(tx, UUID.randomUUID(), Refs.next("r_"),
                caller.accountId(), serviceRef, days, areaCode, idempotencyKey, requestHash))
                .onFailure(failure -> attempt < 5 && failure instanceof PgException pg
                        && "23505".equals(pg.getSqlState()) && String.valueOf(pg.getConstraint()).contains("ref"))
                .recoverWithUni(() -> insertPending(caller, serviceRef, days, areaCode, idempotencyKey, requestHash,
                        attempt + 1));
    }

    private Uni<Created> runSaga(Rental pending) {
        return saga.runForRequest(pending).map(done -> new Created(done, false));
    }

    private static Uni<Created> replay(Rental existing, String requestHash) {
        return PurchaseSaga.replay(existing, requestHash).map(done -> new Created(done, true));
    }

    public Uni<Rental> get(Caller caller, UUID id) {
        return rentals.find(pool, id).map(found -> owned(caller, found));
    }

    public Uni<List<Rental>> list(Caller caller, boolean active, UUID before, int limit) {
        return rentals.list(pool, caller.accountId(), active ? ACTIVE : HISTORY, before, limit);
    }

    /** Every SMS of the rental's term, newest first (a page of them). */
    public Uni<List<Sms>> messages(Caller caller, UUID id, UUID before, int limit) {
        return get(caller, id).chain(rental -> messages.list(pool, rental.id(), before, limit));
    }

    /**
     * Cancels a rental that has received no SMS yet (the wallet refunds on the event, the catalog takes the number
     * back); 409 once any SMS arrived (with a code or not: its body was delivered) or the term ended. Cancelling twice
     * answers the cancelled rental.
     */
    public Uni<Rental> cancel(Caller caller, UUID id) {
        return pool.withTransaction(tx -> rentals.cancel(tx, id, caller.accountId()).chain(cancelled -> {
            if (cancelled.isPresent()) {
                Rental r = cancelled.get();
                return outbox.publish(tx, new RentalCancelled(r.id(), r.accountId(), r.ref(), r.number(),
                        r.costCents(), Instant.now())).replaceWith(r);
            }
            return rentals.find(tx, id).map(found -> {
                Rental r = owned(caller, found);
                return switch (r.status()) {
                    case Rental.CANCELLED -> r;
                    case Rental.ACTIVE -> throw ApiException.conflict(
                            "This rental has already received an SMS; it cannot be cancelled");
                    default -> throw ApiException.conflict(
                            "The rental's term has ended (it is refunded automatically if no code arrived)");
                };
            });
        }));
    }

    private static Rental owned(Caller caller, Optional<Rental> found) {
        return found.filter(r -> r.accountId().equals(caller.accountId()) && r.visible())
                .orElseThrow(() -> ApiException.notFound("Rental not found"));
    }

    private static boolean isDuplicateKey(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                && String.valueOf(pg.getConstraint()).contains("idempotency_key");
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
