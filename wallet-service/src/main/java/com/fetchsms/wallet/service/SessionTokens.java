package com.fetchsms.wallet.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.common.security.SessionRevocationAugmentor;
import com.fetchsms.wallet.config.WalletConfig;
import com.fetchsms.wallet.domain.Account;
import com.fetchsms.wallet.domain.Session;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;

/**
 * Dashboard session tokens: RS256 JWTs signed with the key at {@code smallrye.jwt.sign.key.location}, verified by
 * every service with the matching public key. Claims: {@code iss}, {@code aud}, {@code sub} (account id), {@code upn}
 * (e-mail), {@code groups} ({@code user}, plus {@code admin}), {@code iat}, {@code exp}, {@code jti} (the session id:
 * what {@code POST /v1/auth/logout} signs out), {@code iat_ms} (the issue time in milliseconds, compared with the
 * account's "signed out everywhere" cut-off).
 */
@ApplicationScoped
public class SessionTokens {

    private static final Logger LOG = Logger.getLogger(SessionTokens.class);

    private final WalletConfig config;

    public SessionTokens(WalletConfig config) {
        this.config = config;
    }

    /** Signs a session for the account. Blocking (reads the key, RSA signature): call on a worker thread. */
    public Session issue(UUID accountId, String email, String role) {
        return issue(accountId, email, role, null);
    }

    /**
     * {@link #issue(UUID, String, String)}, issued strictly after {@code signedOutBefore} (a "signed out everywhere"
     * cut-off of this instant), so the new session survives the sign-out it follows.
     */
    public Session issue(UUID accountId, String email, String role, Instant signedOutBefore) {
        Instant exact = Instant.now();
        if (signedOutBefore != null && !exact.isAfter(signedOutBefore)) {
            exact = signedOutBefore.plusMillis(1);
        }
        Instant now = exact.truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(config.sessions().ttl());
        Set<String> groups = new LinkedHashSet<>();
        groups.add(Account.USER);
        if (Account.ADMIN.equals(role)) {
            groups.add(Account.ADMIN);
        }
        String token = Jwt.issuer(config.sessions().issuer())
                .audience(config.sessions().audience())
                .subject(accountId.toString())
                .upn(email)
                .groups(groups)
                .issuedAt(now)
                .expiresAt(expiresAt)
                .claim("jti", UUID.randomUUID().toString())
                // iat has whole seconds; "signed out everywhere" must not catch a login later in the same second
                .claim(SessionRevocationAugmentor.ISSUED_AT_MILLIS_CLAIM, exact.toEpochMilli())
                .jws().algorithm(SignatureAlgorithm.RS256)
                .sign();
        return Session.bearer(token, expiresAt);
    }

    /** Whether the signing key can be used; logged at start so a missing key shows up before the first login. */
    public boolean canSign() {
        try {
            issue(UUID.randomUUID(), "probe@fetchsms.invalid", Account.USER);
            return true;
        } catch (RuntimeException e) {
            LOG.errorf("Cannot sign dashboard session tokens (smallrye.jwt.sign.key.location): %s", e.getMessage());
            return false;
        }
    }
}
