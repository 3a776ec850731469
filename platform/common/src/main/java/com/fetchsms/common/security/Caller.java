package com.fetchsms.common.security;

import java.util.UUID;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.fetchsms.common.error.ApiException;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is calling: the account, and whether through an API key or a dashboard session. Roles: session tokens carry
 * {@code user} (and {@code admin}); API keys carry only {@code api}. So {@code @RolesAllowed({"user", "api"})} is a
 * purchase route and {@code @RolesAllowed("user")} a dashboard route that answers an API key with 403. A test key
 * ({@code fsk_test_…}) is a {@code sandbox} caller: its account is the sandbox twin of the customer's account, and what
 * it buys comes from the sandbox's numbers and test money; sessions are never sandbox callers. A route of test keys
 * only adds {@link SandboxOnly}; one of a session or a test key, never a live key, adds {@link SessionOrTestKey}.
 */
public record Caller(UUID accountId, UUID keyId, boolean admin, boolean sandbox) {

    public static final String ROLE_API = "api";
    public static final String ROLE_USER = "user";
    public static final String ROLE_ADMIN = "admin";
    static final String KEY_ID_ATTRIBUTE = "fetchsms.api-key-id";
    static final String SANDBOX_ATTRIBUTE = "fetchsms.sandbox";

    public boolean viaApiKey() {
        return keyId != null;
    }

    public static Caller of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            throw ApiException.unauthorized("Missing, invalid, or revoked credential");
        }
        String subject = identity.getPrincipal() instanceof JsonWebToken jwt
                ? jwt.getSubject()
                : identity.getPrincipal().getName();
        try {
            return new Caller(UUID.fromString(subject), identity.getAttribute(KEY_ID_ATTRIBUTE),
                    identity.hasRole(ROLE_ADMIN), Boolean.TRUE.equals(identity.getAttribute(SANDBOX_ATTRIBUTE)));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiException.unauthorized("The credential names no account");
        }
    }
}
