package com.fetchsms.webhook.rest;

import java.util.UUID;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.security.Caller;

import io.quarkus.security.identity.SecurityIdentity;

/** Input checks of the webhook routes: each refusal is a 4xx with a {@code detail}. */
final class Inputs {

    private Inputs() {
    }

    static UUID accountId(SecurityIdentity session) {
        return Caller.of(session).accountId();
    }

    /** A path id; anything that is not a UUID names nothing (404). */
    static UUID pathId(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("No " + what + " " + id);
        }
    }
}
