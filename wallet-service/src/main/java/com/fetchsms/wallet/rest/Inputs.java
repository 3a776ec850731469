package com.fetchsms.wallet.rest;

import java.util.UUID;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.security.Caller;

import io.quarkus.security.identity.SecurityIdentity;

/** Input helpers of the resources: the caller's account, money amounts, path ids. */
final class Inputs {

    private Inputs() {
    }

    /** The account of the dashboard session ({@code sub}). */
    static UUID accountId(SecurityIdentity session) {
        return Caller.of(session).accountId();
    }

    /** The dashboard session token of the request (sessions only: an API key never reaches here, it is 403). */
    static JsonWebToken sessionToken(SecurityIdentity session) {
        Caller.of(session);
        if (!(session.getPrincipal() instanceof JsonWebToken token)) {
            throw ApiException.unauthorized("Missing, invalid, or revoked credential");
        }
        return token;
    }

    /** The session id of a token ({@code jti}); a token without one can only be signed out with logout-all. */
    static UUID sessionId(JsonWebToken token) {
        try {
            return UUID.fromString(token.getTokenID());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiException.unprocessable("This session token has no session id ('jti'); sign out every session "
                    + "with POST /v1/auth/logout-all");
        }
    }

    /**
     * A required amount of a body not validated as a DTO (an internal route). A {@code Long} field with
     * {@code @TypeHint(TypeHint.CENTS)} takes only a JSON integer, by the platform's JSON rules (JsonConventions).
     */
    static long cents(Long amount, String field) {
        if (amount == null) {
            throw ApiException.badRequest("'" + field + "' is required");
        }
        return amount;
    }

    /** A path id; anything that is not a UUID names nothing (404). */
    static UUID pathId(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("No " + what + " " + id);
        }
    }

    /** A UUID query parameter (422 when malformed). */
    static UUID optionalUuid(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable("Query parameter '" + name + "' must be an id from the previous page");
        }
    }

    static <T> T body(T body, String shape) {
        if (body == null) {
            throw ApiException.badRequest("A JSON body is required: " + shape);
        }
        return body;
    }
}
