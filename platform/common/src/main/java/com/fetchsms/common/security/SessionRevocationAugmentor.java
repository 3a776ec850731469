package com.fetchsms.common.security;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * Refuses a dashboard session token that was signed out (401, as any invalid credential): the JWT mechanism has
 * verified signature and expiry, this asks {@link SessionRevocations} about its {@code jti} and issue time. API-key
 * identities pass untouched.
 */
@ApplicationScoped
public class SessionRevocationAugmentor implements SecurityIdentityAugmentor {

    /** Issue time in milliseconds (wallet-service's tokens carry it; {@code iat} has whole seconds only). */
    public static final String ISSUED_AT_MILLIS_CLAIM = "iat_ms";

    private final SessionRevocations revocations;

    public SessionRevocationAugmentor(SessionRevocations revocations) {
        this.revocations = revocations;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        UUID account;
        try {
            account = UUID.fromString(jwt.getSubject());
        } catch (IllegalArgumentException | NullPointerException e) {
            return Uni.createFrom().item(identity); // names no account: Caller.of refuses it
        }
        return revocations.revoked(account, sessionId(jwt), issuedAt(jwt)).map(revoked -> {
            if (revoked) {
                throw new AuthenticationFailedException("The session was signed out");
            }
            return identity;
        });
    }

    static UUID sessionId(JsonWebToken jwt) {
        try {
            return jwt.getTokenID() == null ? null : UUID.fromString(jwt.getTokenID());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The token's issue time: {@code iat_ms} when present, else {@code iat}; null when it has neither. */
    static Instant issuedAt(JsonWebToken jwt) {
        Object millis = jwt.getClaim(ISSUED_AT_MILLIS_CLAIM);
        if (millis instanceof Number n) {
            return Instant.ofEpochMilli(n.longValue());
        }
        if (millis instanceof jakarta.json.JsonNumber n) {
            return Instant.ofEpochMilli(n.longValue());
        }
        long iat = jwt.getIssuedAtTime();
        return iat > 0 ? Instant.ofEpochSecond(iat) : null;
    }
}
