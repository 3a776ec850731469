package com.fetchsms.wallet.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.common.events.SessionRevoked;
import com.fetchsms.common.outbox.Outbox;
import com.fetchsms.common.security.SessionRevocations;
import com.fetchsms.wallet.config.WalletConfig;
import com.fetchsms.wallet.repository.SessionRepository;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Signing sessions out: one session (its token's {@code jti}) or every session of the account (a cut-off instant).
 * Each sign-out is stored and published as {@code fetchsms.session.revoked.v1} in one transaction, so every service's
 * credential view refuses the token within a hop; this service refuses it at once, from its database (it is the
 * {@link SessionRevocations} here, replacing the view's).
 */
@ApplicationScoped
public class SessionService implements SessionRevocations {

    private static final Logger LOG = Logger.getLogger(SessionService.class);

    private final Pool pool;
    private final SessionRepository sessions;
    private final Outbox outbox;
    private final WalletConfig config;

    public SessionService(Pool pool, SessionRepository sessions, Outbox outbox,
            WalletConfig config) {
        this.pool = pool;
        this.sessions = sessions;
        this.outbox = outbox;
        this.config = config;
    }

    /** Signs out one session (idempotent: a second sign-out publishes nothing). */
    public Uni<Void> signOut(UUID accountId, UUID sessionId, Instant expiresAt) {
        Instant now = Instant.now();
        return pool.withTransaction(tx -> sessions.revoke(tx, sessionId, accountId, expiresAt)
                .chain(recorded -> recorded
                        ? outbox.publish(tx, SessionRevoked.one(accountId, sessionId, expiresAt, now))
                                .replaceWithVoid()
                        : Uni.createFrom().voidItem()));
    }

    /** Signs out every session of the account issued until now. */
    public Uni<Void> signOutEverywhere(UUID accountId) {
        Instant now = cutOff();
        return pool.withTransaction(tx -> signOutEverywhere(tx, accountId, now));
    }

    /** Now, in milliseconds: as the tokens' {@code iat_ms} and the event's {@code issued_before_ms}. */
    static Instant cutOff() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /** Signs out every session of the account issued at or before {@code cutOff}, in the caller's transaction. */
    Uni<Void> signOutEverywhere(SqlConnection tx, UUID accountId, Instant cutOff) {
        return sessions.revokeAll(tx, accountId, cutOff).chain(exists -> exists
                ? outbox.publish(tx, SessionRevoked.all(accountId, cutOff, cutOff.plus(config.sessions().ttl())))
                        .replaceWithVoid()
                : Uni.createFrom().failure(AccountService.unknownSession()));
    }

    @Override
    public Uni<Boolean> revoked(UUID accountId, UUID sessionId, Instant issuedAt) {
        return sessions.state(pool, accountId, sessionId).map(state -> state.signedOut()
                || state.validAfter() != null && (issuedAt == null || !issuedAt.isAfter(state.validAfter())));
    }

    /** Sign-outs are kept until the token they name would have expired anyway. */
    @Scheduled(every = "10m", delayed = "1m", identity = "wallet-session-revocation-cleanup")
    Uni<Void> forgetExpired() {
        return sessions.deleteExpired(pool).invoke(n -> {
            if (n > 0) {
                LOG.debugf("Forgot %d expired sign-outs", n);
            }
        }).replaceWithVoid();
    }
}
