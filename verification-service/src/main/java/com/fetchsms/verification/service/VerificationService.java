package com.fetchsms.verification.service;

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
import com.fetchsms.common.events.VerificationCancelled;
import com.fetchsms.common.outbox.Outbox;
import com.fetchsms.common.purchase.PurchaseSaga;
import com.fetchsms.common.security.Caller;
import com.fetchsms.common.ids.Refs;
import com.fetchsms.verification.domain.Verification;
import com.fetchsms.verification.repository.VerificationRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;

/** Creating, reading, listing and cancelling verifications. */
@ApplicationScoped
public class VerificationService {

    /** A create's answer: the verification, and whether this call made it (false: an Idempotency-Key replay). */
    public record Created(Verification verification, boolean replayed) {
    }

    static final List<String> ACTIVE = List.of(Verification.WAITING);
    static final List<String> HISTORY = List.of(Verification.RECEIVED, Verification.EXPIRED, Verification.CANCELLED);

    private final Pool pool;
    private final VerificationRepository verifications;
    private final VerificationSaga saga;
    private final Outbox outbox;

    public VerificationService(Pool pool, VerificationRepository verifications, VerificationSaga saga, Outbox outbox) {
        this.pool = pool;
        this.verifications = verifications;
        this.saga = saga;
        this.outbox = outbox;
    }

    public Uni<Created> create(Caller caller, String serviceRef, String areaCode, String idempotencyKey) {
        String requestHash = sha256(serviceRef + "|" + (areaCode == null ? "" : areaCode));
        Uni<Optional<Verification>> previous = idempotencyKey == null
                ? Uni.createFrom().item(Optional.empty())
                : verifications.findByKey(pool, caller.accountId(), idempotencyKey);
        return previous.chain(found -> {
            if (found.isPresent()) {
                return replay(found.get(), requestHash);
            }
            return insertPending(caller, serviceRef, areaCode, idempotencyKey, requestHash, 1)
                    .onFailure(VerificationService::isDuplicateKey)
                    .recoverWithUni(() -> verifications.findByKey(pool, caller.accountId(), idempotencyKey)
                            .chain(raced -> replay(raced.orElseThrow(), requestHash)).map(Created::verification))
                    .chain(pending -> pending.status().equals(Verification.PENDING) && pending.failureStatus() == null
                            ? runSaga(pending)
                            : Uni.createFrom().item(new Created(pending, true)));
        });
    }

    /** Inserts the saga's pending row; a (rare) collision of the random ref is retried with another. */
    private Uni<Verification> insertPending(Caller caller, String serviceRef, String areaCode, String idempotencyKey,
            String requestHash, int attempt) {
        return pool.withTransaction(tx -> verifications.insertPending(tx, UUID.randomUUID(), Refs.next("v_"),
                caller.accountId(), serviceRef, areaCode, idempotencyKey, requestHash))
                .onFailure(failure -> attempt < 5 && failure instanceof PgException pg
                        && "23505".equals(pg.getSqlState()) && String.valueOf(pg.getConstraint()).contains("ref"))
                .recoverWithUni(() -> insertPending(caller, serviceRef, areaCode, idempotencyKey, requestHash,
                        attempt + 1));
    }

    private Uni<Created> runSaga(Verification pending) {
        return saga.runForRequest(pending).map(done -> new Created(done, false));
    }

    private static Uni<Created> replay(Verification existing, String requestHash) {
        return PurchaseSaga.replay(existing, requestHash).map(done -> new Created(done, true));
    }

    public Uni<Verification> get(Caller caller, UUID id) {
        return verifications.find(pool, id).map(found -> found
                .filter(v -> v.accountId().equals(caller.accountId()) && v.visible())
                .orElseThrow(() -> ApiException.notFound("Verification not found")));
    }

    public Uni<List<Verification>> list(Caller caller, boolean active, UUID before, int limit) {
        return verifications.list(pool, caller.accountId(), active ? ACTIVE : HISTORY, before, limit);
    }

    /** Cancels a waiting verification (the wallet refunds on the event); 409 once it has ended otherwise. */
    public Uni<Verification> cancel(Caller caller, UUID id) {
        return pool.withTransaction(tx -> verifications.cancel(tx, id, caller.accountId()).chain(cancelled -> {
            if (cancelled.isPresent()) {
                Verification v = cancelled.get();
                return outbox.publish(tx, new VerificationCancelled(v.id(), v.accountId(), v.ref(), v.serviceId(),
                        v.service(), v.number(), v.costCents(), Instant.now())).replaceWith(v);
            }
            return verifications.find(tx, id).map(found -> {
                Verification v = found.filter(x -> x.accountId().equals(caller.accountId()) && x.visible())
                        .orElseThrow(() -> ApiException.notFound("Verification not found"));
                return switch (v.status()) {
                    case Verification.CANCELLED -> v;
                    case Verification.RECEIVED -> throw ApiException.conflict(
                            "The code has already been received; a verification with a code cannot be cancelled");
                    default -> throw ApiException.conflict("The verification has expired (and was refunded)");
                };
            });
        }));
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
