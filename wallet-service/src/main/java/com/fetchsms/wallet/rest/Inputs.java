package com.fetchsms.wallet.rest;

import java.util.UUID;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.fasterxml.jackson.databind.JsonNode;
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
     * An amount in integer cents. Bound as a JSON node so that {@code 10.5} or {@code "100"} is refused instead of
     * truncated or coerced.
     */
    static long cents(JsonNode node, String field) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw ApiException.badRequest("'" + field + "' is required");
        }
        if (!node.isIntegralNumber()) {
            throw ApiException.badRequest("Field '" + field + "' must be an integer number of cents");
        }
        if (!node.canConvertToLong()) {
            throw ApiException.unprocessable("Field '" + field + "' is out of range");
        }
        return node.longValue();
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
